/// Derives a short string that a regular expression matches, for ``JSONSchema/minimalInstance()``.
///
/// It reads the common constructs (literals, `.`, escapes such as `\d`, classes, groups,
/// alternation, quantifiers, anchors) and takes the shortest choice at each: zero repetitions
/// for `*` and `?`, the first alternative of the shortest length, the first character of a
/// class. Lookarounds and back-references contribute nothing, so the result may not match;
/// callers test it. Returns nil when the expression nests too deeply or ends mid-construct.
struct PatternExample {
    private let characters: [Character]
    private var index = 0
    private var depth = 0

    static func shortest(matching pattern: String) -> String? {
        var reader = PatternExample(characters: Array(pattern))
        guard let example = reader.alternation(), reader.index == reader.characters.count else { return nil }
        return example
    }

    private init(characters: [Character]) {
        self.characters = characters
    }

    private var current: Character? { index < characters.count ? characters[index] : nil }

    /// `a|bc|d`: the shortest alternative.
    private mutating func alternation() -> String? {
        guard depth < 32 else { return nil }
        depth += 1
        defer { depth -= 1 }
        var choices: [String] = []
        repeat {
            if current == "|" { index += 1 }
            guard let sequence = sequence() else { return nil }
            choices.append(sequence)
        } while current == "|"
        return choices.min { $0.count < $1.count }
    }

    /// Atoms with their quantifiers, up to `|` or `)`.
    private mutating func sequence() -> String? {
        var result = ""
        while let c = current, c != "|", c != ")" {
            guard let atom = atom() else { return nil }
            result += String(repeating: atom, count: quantifier())
        }
        return result
    }

    private mutating func atom() -> String? {
        guard let c = current else { return nil }
        index += 1
        switch c {
        case "^", "$": return ""
        case ".": return "a"
        case "\\": return escape()
        case "[": return characterClass()
        case "(":
            var contributes = true
            if current == "?" {
                index += 1
                switch current {
                case ":": index += 1
                case "=", "!": index += 1; contributes = false
                case "<" where index + 1 < characters.count && (characters[index + 1] == "=" || characters[index + 1] == "!"):
                    index += 2; contributes = false
                case "<", "P", "'":
                    while let n = current, n != ">", n != "'" { index += 1 }
                    index += 1
                default: return nil
                }
            }
            guard let inner = alternation(), current == ")" else { return nil }
            index += 1
            return contributes ? inner : ""
        default: return String(c)
        }
    }

    /// How many times to repeat the atom just read: the least the quantifier allows.
    private mutating func quantifier() -> Int {
        var count = 1
        switch current {
        case "*", "?": index += 1; count = 0
        case "+": index += 1
        case "{":
            var end = index + 1
            while end < characters.count, characters[end].isNumber || characters[end] == "," { end += 1 }
            guard end < characters.count, characters[end] == "}", let low = Int(String(characters[(index + 1)..<end]).split(separator: ",", omittingEmptySubsequences: false).first ?? "") else {
                return 1
            }
            index = end + 1
            count = low
        default: return 1
        }
        if current == "?" || current == "+" { index += 1 }
        return count
    }

    private mutating func escape() -> String? {
        guard let c = current else { return nil }
        index += 1
        switch c {
        case "d", "w", "D", "W", "S", "s", "n", "t", "r":
            return ["d": "0", "w": "a", "D": "a", "W": "-", "S": "a", "s": " ", "n": "\n", "t": "\t", "r": "\r"][c]
        case "b", "B", "A", "z", "Z", "G": return ""
        case "1"..."9": return ""
        default: return String(c)
        }
    }

    /// `[a-z0-9_]`: the first character it allows; `[^...]`: a common one it does not exclude.
    private mutating func characterClass() -> String? {
        let negated = current == "^"
        if negated { index += 1 }
        var members: [Character] = []
        var first = true
        while let c = current, c != "]" || first {
            first = false
            index += 1
            if c == "\\", let escaped = current {
                index += 1
                members.append(["d": "0", "w": "a", "s": " ", "n": "\n", "t": "\t"][escaped] ?? escaped)
            } else {
                members.append(c)
            }
        }
        guard current == "]" else { return nil }
        index += 1
        guard negated else { return members.first.map(String.init) }
        return ["a", "0", "-", " ", "x", "Z"].first { !members.contains($0) }.map(String.init)
    }
}
