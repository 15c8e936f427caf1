/// Text escaped for XML attributes and content (JUnit reports); control characters other than newline and
/// tab, which XML 1.0 cannot carry, become "?".
enum XMLText {
    static func escape(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&apos;"
            case let control where control.value < 0x20 && control != "\n" && control != "\t": output += "?"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
