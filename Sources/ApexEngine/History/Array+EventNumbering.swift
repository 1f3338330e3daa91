extension Array where Element == Event {
    /// Whether the events are numbered `lastSeq + 1, lastSeq + 2, …` without gaps: a batch
    /// that is not is a bug in its caller, which stores catch before anything is written.
    public func isNumbered(after lastSeq: Int) -> Bool {
        enumerated().allSatisfy { offset, event in event.seq == lastSeq + 1 + offset }
    }
}
