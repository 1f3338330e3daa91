import ApexDSL

/// What a `foreach` state iterates: the list expression, the body and how many iterations may
/// run at once.
public struct PlanLoop: Sendable {
    /// The body list, started once per element.
    public let body: ListID
    /// The `in` value: evaluates to the list to iterate over.
    public let items: TemplateValue
    /// The name the current element has inside the body (`as`, default `item`).
    public let element: String
    /// The `concurrency` value: an integer literal, or an expression giving one; 1 when omitted.
    public let concurrency: TemplateValue

    /// Creates a loop.
    public init(body: ListID, items: TemplateValue, element: String, concurrency: TemplateValue) {
        self.body = body
        self.items = items
        self.element = element
        self.concurrency = concurrency
    }

    /// The concurrency when it is written as a number.
    public var literalConcurrency: Int? {
        if case .int(let count)? = concurrency.literalValue { count } else { nil }
    }
}
