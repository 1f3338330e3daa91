import ApexDSL
import ApexEngine
import Foundation

/// A test file, `*.test.yaml` (docs/testing.md): cases that each run a workflow on a virtual
/// clock, with scripted model replies, stubbed HTTP responses and scripted signals, and check
/// what the run did.
struct WorkflowTestFile: Sendable {
    var path: String
    var source: SourceFile
    var cases: [WorkflowTestCase]

    /// Whether `path` names a test file rather than a workflow.
    static func isTestFile(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return name.hasSuffix(".test.yaml") || name.hasSuffix(".test.yml")
    }
}

/// One case of a test file.
struct WorkflowTestCase: Sendable {
    var name: String
    /// Where the case's mapping is (annotations point at its first line).
    var range: SourceRange
    /// The workflow file, as an absolute path.
    var workflow: String
    var input: JSONValue
    /// Values of `secrets.<NAME>` for the case, over the `APEX_SECRET_*` of the environment.
    var secrets: [String: String]
    /// Scripted replies of llm and agent steps, in the fixtures format of `--llm-fixtures`.
    var llm: JSONValue?
    var llmRange: SourceRange?
    var stubs: [HTTPStub]
    var signals: [ScriptedSignal]
    var expect: Expectation
    var expectRange: SourceRange?
}

/// A stubbed HTTP endpoint: requests whose method and URL match get its responses in turn (the
/// last one repeats).
struct HTTPStub: Sendable {
    var name: String
    /// nil matches every method.
    var method: String?
    /// The URL, where `*` stands for any run of characters.
    var url: String
    var responses: [Response]

    struct Response: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]
    }

    func matches(method: String, url: String) -> Bool {
        (self.method.map { $0.uppercased() == method.uppercased() } ?? true) && Self.glob(self.url, matches: url)
    }

    /// `pattern` matches `text` whole, each `*` standing for any run of characters.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == text }
        guard text.hasPrefix(parts[0]) else { return false }
        var rest = text.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let found = rest.range(of: part) else { return false }
            rest = rest[found.upperBound...]
        }
        return rest.count >= parts.last!.count && rest.hasSuffix(parts.last!)
    }
}

/// A signal a case sends: when the run waits for it (at a given step, or anywhere), or at a
/// moment of workflow time.
struct ScriptedSignal: Sendable {
    enum Trigger: Sendable, Hashable {
        /// When a wait for the signal is reached (at this step key, when given).
        case waiting(step: String?)
        /// This long after the run started, in workflow time.
        case after(ApexDSL.Duration)
    }

    var name: String
    var payload: JSONValue
    var trigger: Trigger
}

/// What a case expects of its run; nil fields are not checked.
struct Expectation: Sendable {
    var status: RunStatus?
    var output: JSONValue?
    /// A subset the output must contain: every key given, recursively; lists element by element.
    var outputContains: JSONValue?
    /// The run's error type.
    var error: String?
    /// The step keys the run started, in order (skipped steps are not counted).
    var steps: [String]?
    /// Attempts per step key, summed over its visits.
    var attempts: [String: Int]
    /// Calls per stub name.
    var calls: [String: Int]

    /// The status checked: the given one, else `failed` when an error is expected, else `completed`.
    var effectiveStatus: RunStatus { status ?? (error == nil ? .completed : .failed) }
}
