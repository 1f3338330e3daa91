/// The formats of names in the DSL.
public enum Identifiers {
    /// `^[a-z][a-z0-9_-]{0,62}$` (public: `apex init --name` checks the name it will write).
    public static func isWorkflowName(_ text: String) -> Bool {
        matches(text, first: { $0.isLowercaseLetter }, rest: { $0.isLowercaseLetter || $0.isDigit || $0 == "_" || $0 == "-" })
    }

    /// `^[a-z_][a-z0-9_]{0,62}$`
    static func isStepID(_ text: String) -> Bool {
        matches(text, first: { $0.isLowercaseLetter || $0 == "_" }, rest: { $0.isLowercaseLetter || $0.isDigit || $0 == "_" })
    }

    /// `^[A-Za-z_][A-Za-z0-9_.-]{0,127}$`: signal names travel in URLs and shell commands.
    static func isSignalName(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard let head = scalars.first, scalars.count <= 128, head.isASCIILetter || head == "_" else { return false }
        return scalars.dropFirst().allSatisfy { $0.isASCIILetter || $0.isDigit || "_.-".unicodeScalars.contains($0) }
    }

    /// `^[A-Za-z0-9_-]{1,64}$`: what both OpenAI and Anthropic accept as a tool name.
    static func isToolName(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        return (1...64).contains(scalars.count) && scalars.allSatisfy { $0.isASCIILetter || $0.isDigit || $0 == "_" || $0 == "-" }
    }

    private static func matches(_ text: String, first: (Unicode.Scalar) -> Bool, rest: (Unicode.Scalar) -> Bool) -> Bool {
        let scalars = text.unicodeScalars
        guard let head = scalars.first, scalars.count <= 63, first(head) else { return false }
        return scalars.dropFirst().allSatisfy(rest)
    }
}

extension Unicode.Scalar {
    fileprivate var isLowercaseLetter: Bool { ("a"..."z").contains(self) }
    fileprivate var isDigit: Bool { ("0"..."9").contains(self) }
    fileprivate var isASCIILetter: Bool { isLowercaseLetter || ("A"..."Z").contains(self) }
}
