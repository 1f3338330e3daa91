import Foundation

/// The workflow files in `Tests/ApexCLITests/Fixtures`, copied next to the test bundle.
enum Fixture {
    /// A workflow without any problem.
    static var valid: String { path("valid.yaml") }
    /// A workflow whose YAML does not parse.
    static var brokenSyntax: String { path("broken-syntax.yaml") }
    /// A workflow whose only problem is an unreachable step (a warning).
    static var unreachableStep: String { path("unreachable-step.yaml") }

    /// The absolute path of fixture `name`.
    static func path(_ name: String) -> String {
        Bundle.module.bundleURL.appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    /// The text of the fixture at `path`, to copy into temporary folders.
    static func text(of path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }
}
