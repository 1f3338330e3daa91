/// A seeded pseudo-random generator (SplitMix64), so that every fuzz run can be replayed from
/// its seed on any machine.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Byte and line mutations of workflow files, biased towards what breaks YAML readers:
/// indicators, quotes, expression braces, odd line breaks and characters that YAML 1.1 and
/// 1.2 disagree about.
struct FuzzMutator {
    var random: SeededGenerator
    /// Other inputs, whose lines may be spliced in.
    let corpus: [[UInt8]]

    /// Byte sequences worth inserting: YAML indicators, expression delimiters, a BOM, NEL,
    /// LS, PS, CR, a tab, a NUL and a lone UTF-8 continuation byte.
    static let interesting: [[UInt8]] = [
        ":", ": ", " #", "#", "-", "- ", "?", "{", "}", "[", "]", ",", "\"", "'", "&a", "*a", "!", "!!str ",
        "|", ">", "<<: ", "${{", "}}", "${{ steps.", "\\u", "\\", "\n", "\r", "\r\n", "\t", "  ", "---\n", "...\n",
        "\u{FEFF}", "\u{85}", "\u{2028}", "\u{2029}", "é", "😀", "\u{E000}",
    ].map { Array($0.utf8) } + [[0], [0x80], [0xC2], [0xFF]]

    /// One to four mutations of `input`.
    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            bytes = mutateOnce(bytes)
        }
        return bytes
    }

    private mutating func mutateOnce(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &random)
        switch Int.random(in: 0..<12, using: &random) {
        case 0 where !bytes.isEmpty:
            bytes[min(position, bytes.count - 1)] = UInt8.random(in: 0...255, using: &random)
        case 1:
            bytes.insert(contentsOf: Self.interesting.randomElement(using: &random)!, at: position)
        case 2 where !bytes.isEmpty:
            let end = min(bytes.count, position + Int.random(in: 1...16, using: &random))
            bytes.removeSubrange(min(position, end)..<end)
        case 3:
            bytes = editLines(bytes) { lines, random in
                let index = Int.random(in: 0..<lines.count, using: &random)
                lines.insert(lines[index], at: index)
            }
        case 4:
            bytes = editLines(bytes) { lines, random in
                lines.remove(at: Int.random(in: 0..<lines.count, using: &random))
            }
        case 5:
            bytes = editLines(bytes) { lines, random in
                lines.swapAt(Int.random(in: 0..<lines.count, using: &random), Int.random(in: 0..<lines.count, using: &random))
            }
        case 6:
            bytes = editLines(bytes) { lines, random in
                let index = Int.random(in: 0..<lines.count, using: &random)
                if Bool.random(using: &random) {
                    lines[index].insert(contentsOf: [UInt8](repeating: 0x20, count: Int.random(in: 1...4, using: &random)), at: 0)
                } else {
                    lines[index] = Array(lines[index].drop { $0 == 0x20 })
                }
            }
        case 7 where !corpus.isEmpty:
            let donor = corpus.randomElement(using: &random)!.split(separator: 0x0A, omittingEmptySubsequences: false)
            let line = Array(donor.randomElement(using: &random)!)
            bytes = editLines(bytes) { lines, random in
                lines.insert(line, at: Int.random(in: 0...lines.count, using: &random))
            }
        case 8:
            // A character that only YAML 1.1 calls a line break, at the end of a line: inside
            // a comment, a quoted string or a plain value, depending on the line.
            let character = [Array("\u{85}".utf8), Array("\u{2028}".utf8), Array("\u{2029}".utf8)].randomElement(using: &random)!
            bytes = editLines(bytes) { lines, random in
                lines[Int.random(in: 0..<lines.count, using: &random)].append(contentsOf: character)
            }
        case 9:
            bytes.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0)
        case 10:
            let ending: [UInt8] = Bool.random(using: &random) ? [0x0D, 0x0A] : [0x0D]
            bytes = Array(bytes.split(separator: 0x0A, omittingEmptySubsequences: false).joined(separator: ending))
        default:
            bytes.removeSubrange(min(position, bytes.count)...)
        }
        return bytes
    }

    /// `bytes` split at LF (at least one line, maybe empty), edited as lines, and joined again.
    private mutating func editLines(_ bytes: [UInt8], _ edit: (inout [[UInt8]], inout SeededGenerator) -> Void) -> [UInt8] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        if lines.isEmpty { lines = [[]] }
        edit(&lines, &random)
        return Array(lines.joined(separator: [0x0A]))
    }
}
