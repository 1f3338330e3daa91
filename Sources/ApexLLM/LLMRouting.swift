import ApexDSL
import ApexEngine

/// Where a run's `llm` calls go, chosen when the run starts and recorded with it
/// (``RunPins/llmRouting``), so that a resume or a worker on another machine routes them the
/// same way without being given the start's flags.
public enum LLMRouting: Sendable, Hashable {
    /// Each step to its own provider (`openai`, `anthropic`, `mock`).
    case providers
    /// Every step to the offline mock provider (`--mock-llm`), with these scripted replies as
    /// read at the start (`--llm-fixtures`: the file's content, not its name).
    case mock(fixtures: JSONValue?)

    /// The form a run records: `{"mock": false}` or `{"mock": true, "fixtures": …}`.
    public var json: JSONValue {
        switch self {
        case .providers: ["mock": false]
        case .mock(let fixtures?): ["mock": true, "fixtures": fixtures]
        case .mock(nil): ["mock": true]
        }
    }

    /// The routing a run recorded; nil for a run that recorded none (or an unknown form).
    public init?(json: JSONValue?) {
        guard case .bool(let mock)? = json?["mock"] else { return nil }
        self = mock ? .mock(fixtures: json?["fixtures"].flatMap { $0.isNull ? nil : $0 }) : .providers
    }

    /// Whether calls go to the mock provider, whatever a step names.
    public var sendsEverythingToMock: Bool {
        if case .mock = self { true } else { false }
    }
}
