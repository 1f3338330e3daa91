import ApexCompiler
import ApexDSL
import Testing

/// The definition hash names the workflow's meaning: the same for the same values however they
/// are written, different for any changed value.
@Suite struct DefinitionHashTests {
    static let original = """
        apex: 1
        name: triage
        llm: { provider: mock }
        defaults:
          retry: { max_attempts: 5, initial_interval: 2s }
        steps:
          - id: classify
            llm:
              prompt: Classify the ticket.
              temperature: 0
          - id: store
            http: { method: POST, url: "https://example.com/tickets" }
        """

    /// The same document with comments, other quoting and indentation, and keys in another order.
    static let reformatted = """
        # Triage a ticket.
        name: 'triage'   # listed under this name
        apex: 1
        steps:
            -   llm:
                    temperature: 0.0
                    prompt: "Classify the ticket."
                id: classify
            -   id: store
                http:
                    url: https://example.com/tickets
                    method: POST
        defaults: { retry: { initial_interval: 2s, max_attempts: 5 } }
        llm:
            provider: mock
        """

    @Test func compilingTwiceGivesTheSamePlan() throws {
        let first = try Fixtures.plan(Self.original)
        let second = try Fixtures.plan(Self.original)
        #expect(first.definitionHash == second.definitionHash)
        #expect(first.lists == second.lists)
        #expect(first.states.map(\.onCompleted) == second.states.map(\.onCompleted))
        #expect(first.states.map(\.stepID) == second.states.map(\.stepID))
        #expect(first.mermaid == second.mermaid)
        #expect(first.dot == second.dot)
    }

    @Test func everyFixtureCompilesDeterministically() throws {
        for name in Fixtures.names {
            let first = try Fixtures.plan(named: name)
            let second = try Fixtures.plan(named: name)
            #expect(first.definitionHash == second.definitionHash, "\(name)")
            #expect(first.mermaid == second.mermaid, "\(name)")
            #expect(first.lists == second.lists, "\(name)")
        }
    }

    @Test func commentsFormattingAndKeyOrderDoNotChangeTheHash() throws {
        let original = try Fixtures.plan(Self.original)
        let reformatted = try Fixtures.plan(Self.reformatted, path: "elsewhere/triage.yml")
        #expect(original.definitionHash == reformatted.definitionHash)
    }

    @Test func changingThePromptChangesTheHash() throws {
        let original = try Fixtures.plan(Self.original)
        let edited = try Fixtures.plan(Self.original.replacing("Classify the ticket.", with: "Classify the ticket!"))
        #expect(original.definitionHash != edited.definitionHash)
    }

    @Test func changingAStringToANumberChangesTheHash() throws {
        let asNumber = try Fixtures.plan(Self.original.replacing("temperature: 0", with: "temperature: 1"))
        let asString = try Fixtures.plan(Self.original.replacing("prompt: Classify the ticket.", with: "prompt: '1'"))
        let asInteger = try Fixtures.plan(Self.original.replacing("prompt: Classify the ticket.", with: "prompt: 1"))
        #expect(asNumber.definitionHash != (try Fixtures.plan(Self.original)).definitionHash)
        #expect(asString.definitionHash != asInteger.definitionHash)
    }

    @Test func hashIsSHA256OfThePrefixedCanonicalDocument() {
        let document: JSONValue = ["name": "tiny", "steps": [["set": ["x": 1.5], "id": "a"]], "apex": 1]
        #expect(CanonicalJSON.text(of: document) == #"{"apex":1,"name":"tiny","steps":[{"id":"a","set":{"x":1.5}}]}"#)
        // Computed independently: sha256(b'apex-plan-v1\n' + the canonical text).
        #expect(Plan.hash(of: document) == "495a059d911ff5a41cda5b620d87b47ed0e294ea50770b9579bef9f1120ee498")
        #expect(Plan.hashPrefix == "apex-plan-v1\n")
    }
}
