import Foundation

extension AttributeType {
    /// The type that fits every one of some values: the narrowest of integer, float, boolean,
    /// date and datetime that reads them all, else text. Empty values are ignored.
    package static func infer(_ values: [String]) -> AttributeType {
        let present = values.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !present.isEmpty else { return .text }
        for type in [AttributeType.integer, .float, .boolean, .date, .datetime] where present.allSatisfy({ type.normalize($0) != nil }) {
            return type
        }
        return .text
    }

    /// A value in the canonical form of this type (`true`/`false`, `2025-05-01`, `3.5`), or nil
    /// when the value is not of this type.
    package func normalize(_ raw: String) -> String? {
        let value = raw.trimmingCharacters(in: .whitespaces)
        switch self {
        case .text:
            return value
        case .integer:
            let digits = value.hasPrefix("-") || value.hasPrefix("+") ? value.dropFirst() : Substring(value)
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let number = Int(value) else { return nil }
            return String(number)
        case .float:
            guard value.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }), let number = Double(value), number.isFinite else {
                return nil
            }
            return Int(exactly: number).map { "\($0).0" } ?? String(number)
        case .boolean:
            switch value.lowercased() {
            case "true", "yes", "y", "1": return "true"
            case "false", "no", "n", "0": return "false"
            default: return nil
            }
        case .date:
            let parts = value.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
                (1...12).contains(month), (1...Self.days(inMonth: month, year: year)).contains(day)
            else { return nil }
            return value
        case .datetime:
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime]
            if formatter.date(from: value) != nil { return value }
            formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
            formatter.timeZone = TimeZone(identifier: "UTC")
            let unzoned = value.replacingOccurrences(of: " ", with: "T")
            return formatter.date(from: unzoned) != nil ? unzoned : nil
        }
    }

    private static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
