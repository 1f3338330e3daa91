import ApexDSL
import OrderedCollections

/// A member of a stored event that decoding reads (docs/history.md), under its JSON name.
///
/// The cases are in the order a key is looked for: the members most events have come first.
enum EventMember: Int, CaseIterable {
    case seq, type, at
    case step, visit, attempt, kind, worker, output, usage, error, retryAt
    case timer, fireAt, name, payload, signalID, reason
    case workflow, definitionHash, input, startedAt, format, path, children, llmRouting, data
    case signal, until

    var name: String {
        switch self {
        case .seq: "seq"
        case .type: "type"
        case .at: "at"
        case .workflow: "workflow"
        case .definitionHash: "definition_hash"
        case .input: "input"
        case .startedAt: "started_at"
        case .format: "format"
        case .path: "path"
        case .children: "children"
        case .llmRouting: "llm_routing"
        case .data: "data"
        case .step: "step"
        case .visit: "visit"
        case .attempt: "attempt"
        case .kind: "kind"
        case .worker: "worker"
        case .output: "output"
        case .usage: "usage"
        case .error: "error"
        case .retryAt: "retry_at"
        case .timer: "timer"
        case .fireAt: "fire_at"
        case .name: "name"
        case .payload: "payload"
        case .signalID: "signal_id"
        case .reason: "reason"
        case .signal: "signal"
        case .until: "until"
        }
    }

    /// The member named by a key's UTF-8 bytes, or nil for a key no event has.
    init?(key: UnsafeBufferPointer<UInt8>) {
        // Compared as byte arrays, length first: comparing with `name.utf8` directly walks
        // a String view byte by byte and cost more than the rest of reading an event.
        for (index, name) in Self.utf8Names.enumerated() where name.count == key.count && name.elementsEqual(key) {
            self.init(rawValue: index)
            return
        }
        return nil
    }

    private static let utf8Names = allCases.map { Array($0.name.utf8) }
}

/// The members of one stored event, as decoding looks them up.
protocol EventMembers {
    subscript(_ member: EventMember) -> JSONValue? { get }
}

/// The members of an event parsed as a whole into a generic JSON object.
struct EventObjectMembers: EventMembers {
    let object: OrderedDictionary<String, JSONValue>

    subscript(_ member: EventMember) -> JSONValue? { object[member.name] }
}

/// The members of an event read member by member (``Event/init(storedUTF8:)``): one slot a
/// member, on the stack, where a later duplicate replaces an earlier one as in a parsed object.
struct EventMemberSlots: EventMembers {
    static let count = 29
    private var values = InlineArray<29, JSONValue?>(repeating: nil)

    subscript(_ member: EventMember) -> JSONValue? {
        get { values[member.rawValue] }
        set { values[member.rawValue] = newValue }
    }
}
