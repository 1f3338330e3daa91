import ApexDSL
import OrderedCollections

extension Event {
    /// The version of the stored event format, written in every `RunStarted` as `format` (a
    /// history without one is version 1); bumped on any change an older reader would misread.
    /// Version 2: outside events may stand anywhere in a history (a batch, decided after its
    /// last event), and `RunStarted` may carry `children` and `llm_routing`.
    public static let formatVersion = 2

    /// The stored JSON: `{"seq", "type", "at", ...fields}` with snake_case field names.
    public var json: JSONValue {
        var object: OrderedDictionary<String, JSONValue> = ["seq": .int(seq), "type": .string(kind.type), "at": .string(at.description)]
        for (key, value) in kind.fields { object[key] = value }
        return .object(object)
    }

    public init(json: JSONValue) throws(HistoryFormatError) {
        // Fields are read from the object itself, not through `JSONValue`'s subscript (which
        // unwraps the object again for every field of 50,000 events).
        guard case .object(let fields) = json, case .int(let seq)? = fields["seq"], let type = fields["type"]?.stringValue,
            let atText = fields["at"]?.stringValue, let at = Timestamp(rfc3339: atText)
        else { throw HistoryFormatError("an event needs \"seq\", \"type\" and \"at\"") }
        self.init(seq: seq, at: at, kind: try EventKind(type: type, members: EventObjectMembers(object: fields)))
    }
}

extension EventKind {
    /// The event's own fields, in the documented order.
    public var fields: [(String, JSONValue)] {
        switch self {
        case .runStarted(let workflow, let hash, let input, let startedAt, let pins):
            [("workflow", .string(workflow)), ("definition_hash", .string(hash)), ("input", input), ("started_at", .string(startedAt.description)),
             ("format", .int(Event.formatVersion))]
                + (pins.path.map { [("path", .string($0))] } ?? [])
                + (pins.children.isEmpty ? [] : [("children", pins.childrenJSON)])
                + (pins.llmRouting.map { [("llm_routing", $0)] } ?? [])
        case .stepScheduled(let step, let visit, let attempt, let kind):
            [("step", .string(step)), ("visit", .int(visit)), ("attempt", .int(attempt)), ("kind", .string(kind))]
        case .stepStarted(let step, let visit, let attempt, let worker):
            [("step", .string(step)), ("visit", .int(visit)), ("attempt", .int(attempt)), ("worker", .string(worker))]
        case .stepCompleted(let step, let visit, let attempt, let output, let usage):
            [("step", .string(step)), ("visit", .int(visit)), ("attempt", .int(attempt)), ("output", output)]
                + (usage.map { [("usage", $0.json)] } ?? [])
        case .stepFailed(let step, let visit, let attempt, let error, let retryAt):
            [("step", .string(step)), ("visit", .int(visit)), ("attempt", .int(attempt)), ("error", error.json)]
                + (retryAt.map { [("retry_at", .string($0.description))] } ?? [])
        case .stepCheckpointed(let step, let visit, let attempt, let data):
            [("step", .string(step)), ("visit", .int(visit)), ("attempt", .int(attempt)), ("data", data)]
        case .stepSuspended(let step, let visit, let attempt, let signal, let until):
            [("step", .string(step)), ("visit", .int(visit)), ("attempt", .int(attempt)), ("signal", .string(signal))]
                + (until.map { [("until", .string($0.description))] } ?? [])
        case .stepSkipped(let step, let visit):
            [("step", .string(step)), ("visit", .int(visit))]
        case .timerStarted(let timer, let fireAt):
            [("timer", .string(timer)), ("fire_at", .string(fireAt.description))]
        case .timerFired(let timer):
            [("timer", .string(timer))]
        case .signalReceived(let name, let payload, let signalID):
            [("name", .string(name)), ("payload", payload), ("signal_id", .string(signalID))]
        case .signalConsumed(let step, let visit, let signalID):
            [("step", .string(step)), ("visit", .int(visit)), ("signal_id", .string(signalID))]
        case .cancelRequested(let reason):
            [("reason", reason.map(JSONValue.string) ?? .null)]
        case .runCompleted(let output):
            [("output", output)]
        case .runFailed(let error):
            [("error", error.json)]
        case .runCancelled, .runTimedOut:
            []
        }
    }

    /// The event of `type` made of `json`'s members; the same for an event parsed whole as for
    /// one read member by member.
    init(type: String, members json: borrowing some EventMembers) throws(HistoryFormatError) {
        let reader = FieldReader(type: type)
        switch type {
        case "RunStarted":
            if let format = json[.format] {
                guard case .int(let version) = format, version >= 1 else { throw HistoryFormatError("RunStarted needs \"format\" to be a version number") }
                guard version <= Event.formatVersion else {
                    throw HistoryFormatError("the history is in format \(version), newer than this apex reads (\(Event.formatVersion)): upgrade apex")
                }
            }
            self = .runStarted(workflow: try reader.string(.workflow, of: json),
                               definitionHash: try reader.string(.definitionHash, of: json),
                               input: json[.input] ?? .null, startedAt: try reader.time(.startedAt, of: json),
                               pins: try RunPins(path: json[.path]?.stringValue, childrenJSON: json[.children], llmRouting: json[.llmRouting]))
        case "StepScheduled":
            self = .stepScheduled(step: try reader.string(.step, of: json), visit: try reader.int(.visit, of: json),
                                  attempt: try reader.int(.attempt, of: json), kind: try reader.string(.kind, of: json))
        case "StepStarted":
            self = .stepStarted(step: try reader.string(.step, of: json), visit: try reader.int(.visit, of: json),
                                attempt: try reader.int(.attempt, of: json), worker: try reader.string(.worker, of: json))
        case "StepCompleted":
            let usage = json[.usage].flatMap { usage -> Usage? in
                guard case .int(let input)? = usage["input_tokens"], case .int(let output)? = usage["output_tokens"] else { return nil }
                return Usage(inputTokens: input, outputTokens: output)
            }
            self = .stepCompleted(step: try reader.string(.step, of: json), visit: try reader.int(.visit, of: json),
                                  attempt: try reader.int(.attempt, of: json), output: json[.output] ?? .null, usage: usage)
        case "StepFailed":
            self = .stepFailed(step: try reader.string(.step, of: json), visit: try reader.int(.visit, of: json),
                               attempt: try reader.int(.attempt, of: json), error: try RunError(json: json[.error] ?? .null),
                               retryAt: try reader.optionalTime(.retryAt, of: json))
        case "StepCheckpointed":
            self = .stepCheckpointed(step: try reader.string(.step, of: json), visit: try reader.int(.visit, of: json),
                                     attempt: try reader.int(.attempt, of: json), data: json[.data] ?? .null)
        case "StepSuspended":
            self = .stepSuspended(step: try reader.string(.step, of: json), visit: try reader.int(.visit, of: json),
                                  attempt: try reader.int(.attempt, of: json), signal: try reader.string(.signal, of: json),
                                  until: try reader.optionalTime(.until, of: json))
        case "StepSkipped":
            self = .stepSkipped(step: try reader.string(.step, of: json), visit: try reader.int(.visit, of: json))
        case "TimerStarted":
            self = .timerStarted(timer: try reader.string(.timer, of: json), fireAt: try reader.time(.fireAt, of: json))
        case "TimerFired":
            self = .timerFired(timer: try reader.string(.timer, of: json))
        case "SignalReceived":
            self = .signalReceived(name: try reader.string(.name, of: json), payload: json[.payload] ?? .null,
                                   signalID: try reader.string(.signalID, of: json))
        case "SignalConsumed":
            self = .signalConsumed(step: try reader.string(.step, of: json), visit: try reader.int(.visit, of: json),
                                   signalID: try reader.string(.signalID, of: json))
        case "CancelRequested":
            self = .cancelRequested(reason: json[.reason]?.stringValue)
        case "RunCompleted":
            self = .runCompleted(output: json[.output] ?? .null)
        case "RunFailed":
            self = .runFailed(error: try RunError(json: json[.error] ?? .null))
        case "RunCancelled":
            self = .runCancelled
        case "RunTimedOut":
            self = .runTimedOut
        default:
            throw HistoryFormatError("unknown event type \"\(type)\" (written by a newer apex?)")
        }
    }
}

/// Reads required fields of a stored event with clear errors.
///
/// The members are passed to each read rather than held, so that reading one event member by
/// member copies none of its slots (``EventMemberSlots``).
private struct FieldReader {
    let type: String

    func string(_ key: EventMember, of json: borrowing some EventMembers) throws(HistoryFormatError) -> String {
        guard let value = json[key]?.stringValue else { throw HistoryFormatError("\(type) needs a string \"\(key.name)\"") }
        return value
    }

    func int(_ key: EventMember, of json: borrowing some EventMembers) throws(HistoryFormatError) -> Int {
        guard case .int(let value)? = json[key] else { throw HistoryFormatError("\(type) needs an integer \"\(key.name)\"") }
        return value
    }

    func time(_ key: EventMember, of json: borrowing some EventMembers) throws(HistoryFormatError) -> Timestamp {
        guard let text = json[key]?.stringValue, let value = Timestamp(rfc3339: text) else {
            throw HistoryFormatError("\(type) needs an RFC 3339 time \"\(key.name)\"")
        }
        return value
    }

    func optionalTime(_ key: EventMember, of json: borrowing some EventMembers) throws(HistoryFormatError) -> Timestamp? {
        guard let value = json[key], !value.isNull else { return nil }
        return try time(key, of: json)
    }
}
