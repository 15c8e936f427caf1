extension JSONSerializer {
    /// The ECMAScript `Number.prototype.toString` form of a number, as RFC 8785 §3.2.2.3 requires.
    ///
    /// Integers that a double holds exactly keep their digits; everything else goes through the double's
    /// shortest round-trip digits (which Swift's `description` produces) laid out by the ECMAScript rules.
    static func canonicalNumber(_ number: JSONNumber) -> String {
        let value = number.doubleValue
        if value == 0 { return "0" }
        guard value.isFinite else { return "null" }
        let (digits, pointPosition) = shortestDigits(of: abs(value))
        let sign = value < 0 ? "-" : ""
        let count = digits.count
        if count <= pointPosition && pointPosition <= 21 {
            return sign + digits + String(repeating: "0", count: pointPosition - count)
        }
        if 0 < pointPosition && pointPosition <= 21 {
            let index = digits.index(digits.startIndex, offsetBy: pointPosition)
            return sign + digits[..<index] + "." + digits[index...]
        }
        if -6 < pointPosition && pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        let exponent = pointPosition - 1
        let exponentText = exponent >= 0 ? "+\(exponent)" : "\(exponent)"
        guard count > 1 else { return sign + digits + "e" + exponentText }
        let first = digits.prefix(1)
        return sign + first + "." + digits.dropFirst() + "e" + exponentText
    }

    /// Splits a positive finite double into its shortest decimal digits (no leading or trailing zeros)
    /// and the position of the decimal point relative to the first digit (`0.5` → ("5", 0), `12.5` →
    /// ("125", 2), `1e21` → ("1", 22)).
    private static func shortestDigits(of value: Double) -> (String, Int) {
        let text = value.description
        var mantissa = Substring(text)
        var exponent = 0
        if let marker = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<marker]
            exponent = Int(text[text.index(after: marker)...]) ?? 0
        }
        var integerPart = mantissa
        var fractionPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fractionPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(integerPart) + String(fractionPart)
        var pointPosition = integerPart.count + exponent
        while digits.hasPrefix("0"), digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0"), digits.count > 1 { digits.removeLast() }
        return (digits, pointPosition)
    }
}
