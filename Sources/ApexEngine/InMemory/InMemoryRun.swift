/// A run as ``InMemoryRunStore`` keeps it: the row, its scheduling columns and its history.
struct InMemoryRun: Sendable {
    var record: RunRecord
    var wakeAt: Timestamp?
    var needsAttention = false
    var leaseOwner: String?
    var leaseUntil: Timestamp?
    var events: [Event]

    /// Applies what a driver commits with new events.
    mutating func apply(_ update: RunUpdate, lastSeq: Int) {
        record.status = update.status
        record.output = update.output
        record.error = update.error
        record.currentStep = update.currentStep
        record.finishedAt = update.finishedAt
        record.lastSeq = lastSeq
        wakeAt = update.wakeAt
        if update.status.isFinished {
            leaseOwner = nil
            leaseUntil = nil
        }
    }

    /// Whether someone other than the lease's owner may take it at `now`.
    func leaseIsFree(at now: Timestamp) -> Bool {
        guard leaseOwner != nil, let leaseUntil else { return true }
        return leaseUntil < now
    }

    /// Takes the lease if it is free, expired or `owner`'s already.
    mutating func takeLease(owner: String, until: Timestamp, now: Timestamp) -> Bool {
        guard leaseOwner == owner || leaseIsFree(at: now) else { return false }
        leaseOwner = owner
        leaseUntil = until
        return true
    }

    /// When the run becomes claimable after `now` if nothing else happens: its timer when no
    /// one holds it, the expiry of its lease when someone does.
    func nextClaimableAt(after now: Timestamp) -> Timestamp? {
        if leaseOwner != nil, let leaseUntil {
            return leaseUntil >= now ? Timestamp(milliseconds: leaseUntil.milliseconds + 1) : nil
        }
        return wakeAt.flatMap { $0 > now ? $0 : nil }
    }

    /// Whether the run needs a driver at `now` and nobody drives it: the rule of
    /// ``RunStore/claimRuns(owner:until:now:limit:taskQueues:excluding:)``.
    func isClaimable(at now: Timestamp) -> Bool {
        guard record.status == .running, leaseIsFree(at: now) else { return false }
        let timerIsDue = wakeAt.map { $0 <= now } ?? false
        let leaseExpired = leaseOwner != nil
        return timerIsDue || needsAttention || leaseExpired
    }
}
