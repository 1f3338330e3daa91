import ApexEngine
import Testing

/// The behaviours of a ``RunStore`` that the engine relies on, as Swift Testing bodies that
/// every backend runs, each on a fresh store:
///
/// ```swift
/// @Test(arguments: RunStoreConformance.checks)
/// func sqliteStoreConforms(_ check: RunStoreConformance.Check) async throws {
///     let path = temporaryPath()
///     try await check.run { namespace in try SQLiteRunStore(path: path, namespace: namespace) }
/// }
/// ```
///
/// Failures are recorded with `#expect` and `#require` at the line of the check that failed.
public enum RunStoreConformance {
    /// Every check, in the order of the protocol's methods.
    public static let checks: [Check] = [
        Check("migrating again changes nothing", migratingAgainChangesNothing),
        Check("a definition is stored once per hash", definitionIsStoredOncePerHash),
        Check("a workflow's registered versions are numbered per name and namespace", opening: registryNumbersVersionsPerName),
        Check("a created run reads back as it was created", createdRunReadsBack),
        Check("creating an existing run returns it and writes nothing", creatingExistingRunWritesNothing),
        Check("runs are listed newest first, filtered by status, workflow, namespace and limit, and counted per status", runsAreListedNewestFirst),
        Check("runs are filtered by start time, from inclusive, before exclusive", runsAreFilteredByStartTime),
        Check("pages after a cursor visit every run once, newest first", keysetPagesVisitEveryRunOnce),
        Check("events read back in order after a seq", eventsReadBackInOrder),
        Check("a namespace's events are read by time, run and seq, from a position on", opening: namespaceEventsAreInTimeOrder),
        Check("an append at the last seq adds the events and updates the row", appendUpdatesTheRow),
        Check("a stale append conflicts and writes nothing", staleAppendConflicts),
        Check("an outside event takes the next seq and marks the run for attention", outsideEventMarksAttention),
        Check("outside events are refused for finished and unknown runs", outsideEventsAreRefused),
        Check("a thousand events in one append read back in order, whole or by pages", thousandEventsReadBack),
        Check("the migrations are listed in order, all applied", migrationsAreListedApplied),
        Check("namespaces keep their runs apart, and a run id is unique within one", opening: namespacesKeepRunsApart),
        Check("a lease is held by one owner until it expires or is released", leaseIsHeldByOneOwner),
        Check("a fenced append is refused once another owner took the lease", fencedAppendNeedsTheLease),
        Check("leases are renewed together, only those the owner still holds", leasesAreRenewedTogether),
        Check("claims take runs with a due timer, outside events or an expired lease, of the given queues", claimsTakeClaimableRuns),
        Check("a new run is claimable until a driver appends to it", newRunIsClaimable),
        Check("the next claimable time is the next free timer or lease expiry of the queues", nextClaimableTime),
        Check("runs with news are an owner's running runs with outside events its driver has not appended after", runsWithNewsAreAnOwnersUnseenOutsideEvents),
        Check("concurrent appends at one seq have exactly one winner", concurrentAppendsHaveOneWinner),
        Check("concurrent writers that retry on conflict build a history without gaps", concurrentWritersBuildGaplessHistory),
        Check("concurrent creations of one run create it once", concurrentCreationsCreateOnce),
        Check("concurrent claimers never take the same run", concurrentClaimersShareNothing),
        Check("concurrent registrations of a name get distinct versions, one per hash", concurrentRegistrationsGetDistinctVersions),
    ]
}
