/// Durations in messages: `20`, `2.5`, `0.25` (seconds, as a person wrote them in a profile).
public enum Seconds {
    /// `value` with at most three decimals and no trailing zeros.
    public static func text(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        let thousandths = (value * 1000).rounded()
        if thousandths.truncatingRemainder(dividingBy: 1000) == 0 { return String(Int64(thousandths / 1000)) }
        var text = String(thousandths / 1000)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
