import ApexDSL

/// Workflows the server tests start.
enum Workflows {
    /// Waits for `approve` ({approved: boolean}), then completes with the decision.
    static let approval = """
        apex: 1
        name: approval
        input:
          type: object
          required: [amount]
          properties: {amount: {type: number}}
        steps:
          - id: approval
            wait:
              signal: approve
              schema: {type: object, required: [approved], properties: {approved: {type: boolean}}}
          - id: done
            set: {approved: "${{ steps.approval.output.approved }}"}
        output: ${{ steps.done.output.approved }}
        """

    /// One mock llm step (its reply streams as deltas).
    static let oneLLM = """
        apex: 1
        name: one-llm
        llm: {provider: mock, model: m}
        steps:
          - id: draft
            llm: {prompt: "tell me about cats"}
        output: ${{ steps.draft.output }}
        """

    /// Not valid: an unknown key on line 4.
    static let broken = """
        apex: 1
        name: broken
        steps:
          - id: a
            sleeep: 1s
        """

    static func start(_ source: String, input: JSONValue = ["amount": 10], id: String? = nil) -> JSONValue {
        var body: JSONValue = ["source": .string(source), "input": input]
        if let id, case .object(var object) = body {
            object["id"] = .string(id)
            body = .object(object)
        }
        return body
    }
}
