import ApexDSL

extension Event {
    /// Decodes a stored event from its JSON text given as UTF-8 bytes, read in place: the same
    /// event, or the same error, as `Event(json: JSONValue(parsingUTF8: bytes))`.
    ///
    /// Loading a run reads its whole history (50,000 events for a long one), so the body as
    /// ``json`` writes it is read member by member: no dictionary and no key strings for the
    /// event itself, and `at` parsed from its bytes. Any other body (an escape in a key or in
    /// `at`, another time form, a missing or mistyped field, invalid JSON) is parsed again as a
    /// whole, so its event or error is exactly the one it always was.
    public init(storedUTF8 bytes: UnsafeRawBufferPointer) throws {
        if let event = Self.readMemberByMember(bytes) {
            self = event
        } else {
            self = try Event(json: JSONValue(parsingUTF8: bytes))
        }
    }

    /// The event in `bytes`, or nil when it is not in the plain form (see above).
    static func readMemberByMember(_ bytes: UnsafeRawBufferPointer) -> Event? {
        var reader = JSONObjectReader(bytes)
        var members = EventMemberSlots()
        var at: Timestamp?
        do {
            try reader.enterObject()
            while let key = try reader.nextKey() {
                guard let member = EventMember(key: key) else {
                    _ = try reader.readValue()  // still checked as JSON, then ignored like any unknown member
                    continue
                }
                if member == .at {
                    guard let milliseconds = Timestamp.engineMilliseconds(utf8: try reader.readPlainString()) else { return nil }
                    at = Timestamp(milliseconds: milliseconds)
                } else {
                    members[member] = try reader.readValue()
                }
            }
            try reader.finish()
        } catch {
            return nil
        }
        guard case .int(let seq)? = members[.seq], case .string(let type)? = members[.type], let at,
              let kind = try? EventKind(type: type, members: members)
        else { return nil }
        return Event(seq: seq, at: at, kind: kind)
    }
}
