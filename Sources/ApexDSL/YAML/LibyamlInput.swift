/// The bytes that libyaml reads for a file, and the way back to the file's characters.
///
/// libyaml follows YAML 1.1, where U+0085 (NEL), U+2028 (LS) and U+2029 (PS) are line breaks:
/// one of them in a comment or a string would end the line there, shift the line of every later
/// diagnostic and can break a valid file. In YAML 1.2, which Apex reads, they are ordinary
/// characters. So libyaml reads a copy of the text in which each is replaced by a placeholder
/// that libyaml treats as an ordinary character: one character for one, so every line and
/// column that libyaml reports is the file's own, and ``restore(_:)`` gives scalar values their
/// original characters back.
///
/// A placeholder is a code point that neither occurs in the text nor is spelled there by a
/// `\u` or `\U` escape (which a double-quoted scalar would turn into it), so every placeholder
/// in a value stands for a replaced character. Private-use code points are tried first. Using
/// up every candidate takes more than a million distinct characters, more than
/// ``WorkflowSourceLoader/maxFileSize`` holds; should a larger text do it, the characters are
/// left to libyaml as they are.
struct LibyamlInput {
    /// The UTF-8 text that libyaml parses.
    let bytes: [UInt8]
    /// The original character of each placeholder in ``bytes``.
    private let originals: [Unicode.Scalar: Unicode.Scalar]

    /// The characters that are line breaks in YAML 1.1 only.
    static let yaml11Breaks: [Unicode.Scalar] = ["\u{85}", "\u{2028}", "\u{2029}"]

    init(_ text: String) {
        let present = Self.yaml11Breaks.filter { text.unicodeScalars.contains($0) }
        guard !present.isEmpty else {
            bytes = Array(text.utf8)
            originals = [:]
            return
        }
        var candidates = Self.placeholderCandidates(avoiding: Self.codePointsUsed(by: text))
        var placeholders: [Unicode.Scalar: Unicode.Scalar] = [:]
        for original in present {
            guard let placeholder = candidates.next() else { break }
            placeholders[original] = placeholder
        }
        var replaced = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            replaced.append(placeholders[scalar] ?? scalar)
        }
        bytes = Array(String(replaced).utf8)
        originals = Dictionary(uniqueKeysWithValues: placeholders.map { ($1, $0) })
    }

    /// `value` (a scalar's value as libyaml read it) with the original characters in place of
    /// the placeholders.
    func restore(_ value: String) -> String {
        // Every placeholder is U+E000 or above, whose UTF-8 starts with 0xEE or more.
        guard !originals.isEmpty, value.utf8.contains(where: { $0 >= 0xEE }) else { return value }
        var restored = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            restored.append(originals[scalar] ?? scalar)
        }
        return String(restored)
    }

    /// The code points from U+E000 up that `text` holds or spells as an escape (`\uE000`,
    /// `\U000F0000`), which therefore cannot be placeholders.
    private static func codePointsUsed(by text: String) -> Set<UInt32> {
        var used = Set(text.unicodeScalars.lazy.map(\.value).filter { $0 >= 0xE000 })
        let utf8 = Array(text.utf8)
        var index = 0
        while index + 1 < utf8.count {
            defer { index += 1 }
            guard utf8[index] == UInt8(ascii: "\\") else { continue }
            let digits = utf8[index + 1] == UInt8(ascii: "u") ? 4 : utf8[index + 1] == UInt8(ascii: "U") ? 8 : 0
            guard digits > 0, index + 2 + digits <= utf8.count,
                  let value = UInt32(String(decoding: utf8[index + 2..<index + 2 + digits], as: UTF8.self), radix: 16)
            else { continue }
            used.insert(value)
        }
        return used
    }

    /// The code points that libyaml reads as ordinary characters, private-use ones first,
    /// without those in `used`.
    private static func placeholderCandidates(avoiding used: Set<UInt32>) -> some IteratorProtocol<Unicode.Scalar> {
        let ranges: [ClosedRange<UInt32>] = [0xE000...0xF8FF, 0xF0000...0x10FFFD, 0xF900...0xFEFE, 0xFF00...0xFFFD, 0x10000...0xEFFFF]
        return ranges.lazy.joined()
            .filter { !used.contains($0) }
            .compactMap(Unicode.Scalar.init)
            .makeIterator()
    }
}
