import ApexDSL
import Testing

@testable import ApexEngine

/// `Event(storedUTF8:)` reads the usual body member by member; whatever the text, it must give
/// the event, or the error, that parsing the whole text and `Event(json:)` give.
@Suite struct StoredEventDecodingTests {
    static let bodies: [String] = EventJSONTests.kinds.map { Event(seq: 7, at: EventJSONTests.at, kind: $0).json.compactJSON }

    @Test(arguments: EventJSONTests.kinds)
    func readsWhatTheEngineWrites(_ kind: EventKind) throws {
        let event = Event(seq: 7, at: EventJSONTests.at, kind: kind)
        #expect(try Self.decodeStored(event.json.compactJSON) == event)
        // ... and member by member, without the fallback to a whole parse.
        var text = event.json.compactJSON
        #expect(text.withUTF8 { Event.readMemberByMember(UnsafeRawBufferPointer($0)) } == event)
    }

    @Test(arguments: [
        // Other member orders, whitespace, unknown and repeated members.
        #"{"type":"TimerFired","timer":"t","at":"2026-11-18T11:06:40.123Z","seq":3}"#,
        #" { "seq" : 3 , "type" : "TimerFired" , "at" : "2026-11-18T11:06:40.123Z" , "timer" : "t" } "#,
        #"{"seq":3,"type":"TimerFired","at":"2026-11-18T11:06:40.123Z","timer":"t","later":{"a":[1,2.5,null]}}"#,
        #"{"seq":3,"seq":4,"type":"TimerFired","at":"2026-11-18T11:06:40.123Z","timer":"t","timer":"u"}"#,
        #"{"seq":3,"type":"TimerFired","at":"yesterday","at":"2026-11-18T11:06:40.123Z","timer":"t"}"#,
        #"{"seq":3,"type":"TimerFired","at":"2026-11-18T11:06:40.123Z","at":"yesterday","timer":"t"}"#,
        #"{"seq":"3","seq":3,"type":"TimerFired","at":"2026-11-18T11:06:40.123Z","timer":"t"}"#,
        // Escapes: in keys, in `at`, in values.
        #"{"se\u0071":3,"type":"TimerFired","at":"2026-11-18T11:06:40.123Z","timer":"t"}"#,
        #"{"seq":3,"type":"TimerFired","at":"2026-11-18T11:06:40.123\u005a","timer":"t"}"#,
        #"{"seq":3,"type":"Timer\u0046ired","at":"2026-11-18T11:06:40.123Z","timer":"a\"b\\c\u00e9\ud83d\ude00"}"#,
        // Other time forms, which only the formatter reads.
        #"{"seq":3,"type":"TimerFired","at":"2026-11-18T11:06:40Z","timer":"t"}"#,
        #"{"seq":3,"type":"TimerFired","at":"2026-11-18T12:06:40.123+01:00","timer":"t"}"#,
        #"{"seq":3,"type":"TimerStarted","at":"2026-11-18T11:06:40.123Z","timer":"t","fire_at":"2026-11-18T11:06:40Z"}"#,
        // Members that are irrelevant to the type, mistyped or null.
        #"{"seq":3,"type":"RunCancelled","at":"2026-11-18T11:06:40.123Z","visit":"one","step":7}"#,
        #"{"seq":3,"type":"StepFailed","at":"2026-11-18T11:06:40.123Z","step":"s","visit":1,"attempt":1,"error":{"type":"t","message":"m"},"retry_at":null}"#,
        #"{"seq":3,"type":"StepCompleted","at":"2026-11-18T11:06:40.123Z","step":"s","visit":1,"attempt":1,"usage":{"input_tokens":1}}"#,
        #"{"seq":3,"type":"CancelRequested","at":"2026-11-18T11:06:40.123Z","reason":5}"#,
        #"{"seq":3,"type":"RunStarted","at":"2026-11-18T11:06:40.123Z","workflow":"w","definition_hash":"h","started_at":"2026-11-18T11:06:40.123Z"}"#,
        #"{"seq":3,"type":"StepScheduled","at":"2026-11-18T11:06:40.123Z","step":"s","visit":1.0,"attempt":1,"kind":"set"}"#,
        #"{"seq":12345678901234567890,"type":"RunCancelled","at":"2026-11-18T11:06:40.123Z"}"#,
        #"{"seq":-0,"type":"RunCancelled","at":"2026-11-18T11:06:40.123Z"}"#,
    ])
    func decodesAsTheWholeParseDoes(_ body: String) {
        #expect(Self.outcome(Self.decodeStored, body) == Self.outcome(Self.decodeWhole, body))
    }

    @Test(arguments: [
        "", " ", "[]", "7", "null", #""seq""#, "{", "{}", "{ }", #"{"seq":3"#, #"{"seq":3,}"#, #"{,"seq":3}"#, #"{"seq" 3}"#,
        #"{"seq":3 "type":"RunCancelled"}"#, #"{"seq":3,"type":"RunCancelled","at":"2026-11-18T11:06:40.123Z"} x"#,
        #"{"seq":3,"type":"RunCancelled","at":"2026-11-18T11:06:40.123Z"}}"#, #"{"seq":3,"type":"RunCancelled","at":"2026-11-18T11:06:40.123Z"#,
        #"{"seq":3,"type":"RunExploded","at":"2026-11-18T11:06:40.123Z"}"#, #"{"seq":3,"type":"TimerFired","at":"2026-11-18T11:06:40.123Z"}"#,
        #"{"seq":3,"type":"RunCancelled","at":"2026-13-18T11:06:40.123Z"}"#, #"{"seq":3,"type":"RunCancelled","at":7}"#,
        #"{"seq":3,"type":"RunCancelled","at":"2026-11-18T11:06:40.123Z","x":tru}"#,
        "{\"seq\":3,\"type\":\"RunCancelled\",\"at\":\"2026-11-18T11:06:40.123Z\",\"x\":\"a\u{1}\"}",
        #"{"seq":3,"type":"RunFailed","at":"2026-11-18T11:06:40.123Z","error":{"type":"t"}}"#,
    ])
    func refusesMalformedBodiesWithTheSameError(_ body: String) {
        let whole = Self.outcome(Self.decodeWhole, body)
        #expect(whole.hasPrefix("error"), "\(whole)")
        #expect(Self.outcome(Self.decodeStored, body) == whole)
    }

    @Test func refusesNestingAtTheSameDepth() {
        for depth in [510, 511, 512] {
            let body = #"{"seq":3,"type":"RunCompleted","at":"2026-11-18T11:06:40.123Z","output":"# + String(repeating: "[", count: depth)
                + String(repeating: "]", count: depth) + "}"
            #expect(Self.outcome(Self.decodeStored, body) == Self.outcome(Self.decodeWhole, body), "depth \(depth)")
        }
    }

    /// Every body the engine writes, cut, doubled or changed a byte at a time.
    @Test func agreesOnDamagedBodies() {
        var random = SplitMix64(seed: 42)
        let replacements = Array(#"{}[]":,\ 0a9-.eZT"#.utf8)
        for body in Self.bodies {
            let bytes = Array(body.utf8)
            for _ in 0..<300 {
                var damaged = bytes
                let index = Int(random.next() % UInt64(damaged.count))
                switch random.next() % 3 {
                case 0: damaged.remove(at: index)
                case 1: damaged.insert(damaged[index], at: index)
                default: damaged[index] = replacements[Int(random.next() % UInt64(replacements.count))]
                }
                let text = String(decoding: damaged, as: UTF8.self)
                #expect(Self.outcome(Self.decodeStored, text) == Self.outcome(Self.decodeWhole, text), "\(text)")
            }
        }
    }

    @Test func namesEveryMemberItsSlotHolds() {
        #expect(EventMember.allCases.count == EventMemberSlots.count)
        for member in EventMember.allCases {
            #expect(member.name.withUTF8Bytes { EventMember(key: $0) } == member)
        }
        #expect("sequence".withUTF8Bytes { EventMember(key: $0) } == nil)
        #expect("".withUTF8Bytes { EventMember(key: $0) } == nil)
    }

    static func decodeStored(_ text: String) throws -> Event {
        var text = text
        return try text.withUTF8 { try Event(storedUTF8: UnsafeRawBufferPointer($0)) }
    }

    static func decodeWhole(_ text: String) throws -> Event {
        try Event(json: JSONValue(parsing: text))
    }

    /// The event, or the error's type and text, as one comparable string.
    static func outcome(_ decode: (String) throws -> Event, _ text: String) -> String {
        do { return "event \(try decode(text))" } catch { return "error \(type(of: error)): \(error)" }
    }
}

private extension String {
    func withUTF8Bytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        var text = self
        return text.withUTF8(body)
    }
}

/// A small seeded generator, so that a failure names a body that comes back on the next run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
