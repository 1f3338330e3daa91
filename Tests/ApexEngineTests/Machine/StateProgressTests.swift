import ApexEngine
import Testing

/// Where each state stands, from its step records: the latest visit's status, visits counted.
@Suite struct StateProgressTests {
    private func step(_ state: Int, _ status: StepStatus, at milliseconds: Int64, attempts: Int = 1, error: RunError? = nil) -> StepRecord {
        StepRecord(key: "s\(state)", stateID: state, visit: 1, status: status, attempts: attempts,
                   startedAt: Timestamp(milliseconds: milliseconds), error: error)
    }

    @Test func latestVisitGivesTheStatusAndEveryVisitCounts() {
        let progress = StateProgress.byState([
            step(0, .completed, at: 10),
            step(1, .completed, at: 20),
            step(1, .failed, at: 40, attempts: 3),
            step(1, .cancelled, at: 30),
        ])
        #expect(progress[0] == StateProgress(status: "completed", visits: 1, attempts: 1))
        #expect(progress[1] == StateProgress(status: "failed", visits: 3, attempts: 3))
        #expect(progress[2] == nil)
    }

    @Test func theLaterRecordWinsATieOfStarts() {
        let progress = StateProgress.byState([step(0, .completed, at: 10), step(0, .waiting, at: 10)])
        #expect(progress[0]?.status == "waiting")
    }

    @Test func aRunningVisitAfterAFailedAttemptIsRetrying() {
        let failure = RunError(type: "http.status", message: "503")
        #expect(StateProgress.byState([step(0, .running, at: 1, attempts: 2, error: failure)])[0]?.status == "retrying")
        #expect(StateProgress.byState([step(0, .running, at: 1, attempts: 2)])[0]?.status == "running")
        #expect(StateProgress.byState([step(0, .waiting, at: 1, attempts: 2, error: failure)])[0]?.status == "waiting")
    }
}
