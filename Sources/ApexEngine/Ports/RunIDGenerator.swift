import Foundation

/// Run and signal ids: 26-character ULIDs (Crockford base32), unique, URL-safe and sortable by
/// creation time (cli.md §1).
public enum RunIDGenerator {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    public static func make(at time: Timestamp = Timestamp(Date())) -> String {
        var generator = SystemRandomNumberGenerator()
        var text = ""
        var milliseconds = UInt64(max(0, time.milliseconds))
        var timePart: [Character] = []
        for _ in 0..<10 {
            timePart.append(alphabet[Int(milliseconds & 31)])
            milliseconds >>= 5
        }
        text += String(timePart.reversed())
        for _ in 0..<16 { text.append(alphabet[Int(generator.next() & 31)]) }
        return text
    }

    /// Whether `id` may name a run given with `--id`: 1–128 characters of `A-Za-z0-9._-`.
    public static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 128 && id.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
        }
    }
}
