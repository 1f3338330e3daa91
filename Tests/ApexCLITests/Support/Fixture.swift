import Foundation

/// The workflow files in `Tests/ApexCLITests/Fixtures`, copied next to the test bundle.
enum Fixture {
    /// A workflow without any problem.
    static var valid: String { path("valid.yaml") }
    /// A workflow whose YAML does not parse.
    static var brokenSyntax: String { path("broken-syntax.yaml") }
    /// A workflow whose only problem is an unreachable step (a warning).
    static var unreachableStep: String { path("unreachable-step.yaml") }
    /// A workflow with an unknown-step error at 8:11–8:17 and so an unreachable-step warning
    /// at 10:9–10:15.
    static var unknownStep: String { path("unknown-step.yaml") }

    /// The absolute path of fixture `name`.
    static func path(_ name: String) -> String {
        Bundle.module.bundleURL.appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    /// The text of the fixture at `path`, to copy into temporary folders.
    static func text(of path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }
}
