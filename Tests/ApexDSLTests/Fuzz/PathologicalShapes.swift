/// Inputs of the shapes that once broke or slowed validation, scaled by `size` (steps, or ten
/// times as many names), so that a quick run stays quick and a long one can go big.
enum PathologicalShapes {
    static let header = "apex: 1\nname: t\n"
    static let valid = header + "steps:\n  - id: a\n    set:\n      x: 1\n"

    static func all(size: Int) -> [(name: String, text: String)] {
        [
            ("byte-order-mark", "\u{FEFF}" + valid),
            ("yaml11-breaks", yaml11Breaks),
            ("cr-line-breaks", valid.replacingOccurrences(of: "\n", with: "\r")),
            ("required-names", header + "input:\n  type: object\n  required: [\((0..<size * 10).map { "k\($0)" }.joined(separator: ", "))]\n" + "steps:\n  - id: a\n    set:\n      x: 1\n"),
            ("unknown-next", steps(size) { "  - id: step\($0)\n    set:\n      x: 1\n    next: stepx\($0)\n" }),
            ("unknown-references", steps(size) { "  - id: step\($0)\n    set:\n      x: ${{ steps.stepz\($0).output }}\n" }),
            ("undeclared-properties", header + "input:\n  properties:\n" + (0..<size * 10).map { "    p\($0): {}\n" }.joined()
                + "steps:\n" + (0..<size).map { "  - id: s\($0)\n    set:\n      x: ${{ input.zz\($0) }}\n" }.joined()),
            ("deep-flow", header + "steps: " + String(repeating: "[", count: size * 10) + String(repeating: "]", count: size * 10) + "\n"),
            ("deep-mappings", header + "x:\n" + (1...100).map { String(repeating: "  ", count: $0) + "k\($0):\n" }.joined()),
            ("nested-foreach", header + "steps:\n" + (0..<20).map(foreach).joined()),
            ("too-deep-foreach", header + "steps:\n" + (0..<70).map(foreach).joined()),
            ("long-line", header + "description: " + String(repeating: "aé ", count: size * 1_000) + "\n" + "steps:\n  - id: a\n    set:\n      x: 1\n"),
            ("steps-on-one-line", header + "steps: [" + (0..<size).map { "{id: s\($0), set: {x: \"é ${{ steps.s0.output }}\"}}" }.joined(separator: ", ") + "]\n"),
            ("expressions-in-one-string", header + "steps:\n  - id: a\n    set:\n      x: \"" + String(repeating: "${{ steps.zz.output }}", count: size * 10) + "\"\n"),
        ]
    }

    private static func steps(_ count: Int, _ step: (Int) -> String) -> String {
        header + "steps:\n" + (0..<count).map(step).joined()
    }

    /// NEL, LS and PS in comments, quoted and plain strings, a block scalar and a key.
    private static var yaml11Breaks: String {
        ["\u{85}", "\u{2028}", "\u{2029}"].map { c in
            "# a comment \(c) here\n"
        }.joined() + header + "steps:\n  - id: a # \u{85}\n    set:\n"
            + "      p: plain \u{85} \u{2028} \u{2029} text\n      q: \"quoted \u{85}\u{2028}\u{2029}\"\n      r: 'single \u{2028}'\n"
            + "      s: |\n        block \u{2029}\n    next: nope\n"
    }

    /// The `level`-th of nested foreach steps, each in the body of the one before.
    private static func foreach(_ level: Int) -> String {
        let indent = String(repeating: " ", count: 6 * level)
        return "\(indent)  - id: f\(level)\n\(indent)    foreach:\n\(indent)      in: '${{ [1] }}'\n\(indent)      as: x\(level)\n\(indent)      steps:\n"
    }
}
