import ApexCompiler
import ApexDSL
import OrderedCollections

/// The join of a `parallel` or `foreach` visit: the frames it started, what each ended with,
/// and the first failure, which cancels the rest.
struct Join: Sendable {
    /// What is joined.
    enum Kind: Sendable {
        /// Branches by name, in the order written; all start at once.
        case parallel(names: [String])
        /// One iteration per item, at most `concurrency` running at once.
        case foreach(body: ListID, items: [JSONValue], element: String, concurrency: Int)
    }

    let kind: Kind
    /// The frames started so far, in slot order (branch index or iteration index).
    var frames: [Int] = []
    /// The output of each slot that ended; nil until it does.
    var outputs: [JSONValue?]
    var ended = 0
    /// Frames started and not yet ended or failed.
    var running = 0
    /// The first uncaught error of a slot: the step fails with it.
    var failure: RunError?

    init(kind: Kind) {
        self.kind = kind
        switch kind {
        case .parallel(let names): outputs = Array(repeating: nil, count: names.count)
        case .foreach(_, let items, _, _): outputs = Array(repeating: nil, count: items.count)
        }
    }

    /// Whether every slot ended.
    var isComplete: Bool { ended == outputs.count }

    /// The step's output: `{branch: output}` or the list of iteration outputs in input order.
    var output: JSONValue {
        switch kind {
        case .parallel(let names):
            var object = OrderedDictionary<String, JSONValue>()
            for (name, output) in zip(names, outputs) { object[name] = output ?? .null }
            return .object(object)
        case .foreach:
            return .array(outputs.map { $0 ?? .null })
        }
    }
}
