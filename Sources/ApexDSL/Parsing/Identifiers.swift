/// The formats of names in the DSL.
enum Identifiers {
    /// `^[a-z][a-z0-9_-]{0,62}$`
    static func isWorkflowName(_ text: String) -> Bool {
        matches(text, first: { $0.isLowercaseLetter }, rest: { $0.isLowercaseLetter || $0.isDigit || $0 == "_" || $0 == "-" })
    }

    /// `^[a-z_][a-z0-9_]{0,62}$`
    static func isStepID(_ text: String) -> Bool {
        matches(text, first: { $0.isLowercaseLetter || $0 == "_" }, rest: { $0.isLowercaseLetter || $0.isDigit || $0 == "_" })
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
}
