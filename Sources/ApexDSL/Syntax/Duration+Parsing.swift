import Foundation

extension Duration {
    /// Why a duration string was refused.
    public enum ParseError: Error, Sendable, Equatable {
        case malformed
        case notPositive
        case tooLong
    }

    /// The longest duration accepted (about 100 years): keeps arithmetic on due times exact.
    public static let maximum = Duration(milliseconds: 100 * 366 * 86_400_000)

    /// Parses `500ms`, `90s`, `15m`, `1h30m`, `2d` (units in that order, each at most once) or an
    /// ISO 8601 duration (`PT1H`, `P2D`, `P1DT2H30M`, `PT0.5S`). Zero is refused.
    public static func parse(_ text: String) throws(ParseError) -> Duration {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let milliseconds = trimmed.hasPrefix("P") ? try parseISO8601(trimmed) : try parseShort(trimmed)
        guard milliseconds > 0 else { throw .notPositive }
        guard milliseconds <= Double(maximum.milliseconds) else { throw .tooLong }
        return Duration(milliseconds: Int64(milliseconds))
    }

    private static func parseShort(_ text: String) throws(ParseError) -> Double {
        if text.hasPrefix("-") { throw .notPositive }
        let units: [(String, Double)] = [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]
        var rest = Substring(text)
        var total = 0.0
        var nextUnit = 0
        guard !rest.isEmpty else { throw .malformed }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else { throw .malformed }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { $0.isASCII && $0.isLetter }
            guard let index = units.firstIndex(where: { $0.0 == unitText }), index >= nextUnit else { throw .malformed }
            total += value * units[index].1
            nextUnit = index + 1
            rest = rest.dropFirst(unitText.count)
        }
        return total.rounded()
    }

    private static func parseISO8601(_ text: String) throws(ParseError) -> Double {
        var rest = text.dropFirst()
        var inTime = false
        var total = 0.0
        var sawComponent = false
        while !rest.isEmpty {
            if rest.first == "T" {
                guard !inTime else { throw .malformed }
                inTime = true
                rest = rest.dropFirst()
                continue
            }
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }
            guard !number.isEmpty, let value = Double(number.replacingOccurrences(of: ",", with: ".")) else { throw .malformed }
            rest = rest.dropFirst(number.count)
            guard let unit = rest.first else { throw .malformed }
            rest = rest.dropFirst()
            let size: Double
            switch (inTime, unit) {
            case (false, "W"): size = 7 * 86_400_000
            case (false, "D"): size = 86_400_000
            case (true, "H"): size = 3_600_000
            case (true, "M"): size = 60_000
            case (true, "S"): size = 1000
            default: throw .malformed  // years and months have no fixed length
            }
            total += value * size
            sawComponent = true
        }
        guard sawComponent else { throw .malformed }
        return total.rounded()
    }
}
