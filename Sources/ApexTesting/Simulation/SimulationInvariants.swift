import ApexCompiler
import ApexDSL
import ApexEngine
import Foundation

/// What must hold after every simulated scenario, whatever was injected.
enum SimulationInvariants {
    /// Checks every run of the scenario (the root and its children) in `store`:
    /// - its history replays cleanly against its pinned definition: no decision differs
    ///   (`APEX-R001`) and nothing is corrupt (`APEX-R002`);
    /// - each activity attempt is started once and has at most one result; each step visit
    ///   completes at most once;
    /// - each call the activities received belongs to a started attempt and was made once:
    ///   a finished step never runs again;
    /// - a multi-turn call resumed after the latest checkpoint its visit had committed;
    /// - an attempt scheduled after a suspension (with no checkpoint since) was given the answer.
    static func check(runID: String, store: InMemoryRunStore, calls: [ScriptedActivities.Call]) async -> (violations: [String], lostAttempts: Bool) {
        var violations: [String] = []
        var lostAttempts = false
        let runs = (try? await store.runs(RunFilter(limit: 10_000))) ?? []
        let callsByAttempt = Dictionary(grouping: calls) { "\($0.runID)/\($0.step)#\($0.visit).\($0.attempt)" }
        for (attempt, made) in callsByAttempt where made.count > 1 {
            violations.append("attempt \(attempt) was called \(made.count) times")
        }
        for run in runs {
            guard let events = try? await store.events(runID: run.id, after: 0) else { continue }
            violations += await replays(run, events: events, store: store)
            let unique = uniqueFacts(run.id, events)
            violations += unique
            if !unique.isEmpty, ProcessInfo.processInfo.environment["APEX_SIM_HISTORY"] != nil {
                violations.append("history of \(run.id):\n      " + events.map { "\($0.seq) \($0.kind.summary)" + (Self.worker($0.kind).map { " by \($0)" } ?? "") }.joined(separator: "\n      "))
            }
            violations += callsMatch(run.id, events, calls: calls.filter { $0.runID == run.id })
            lostAttempts = lostAttempts || events.contains { if case .stepFailed(_, _, _, let error, _) = $0.kind { error.type == "worker.lost" } else { false } }
        }
        return (violations, lostAttempts)
    }

    private static func replays(_ run: RunRecord, events: [Event], store: InMemoryRunStore) async -> [String] {
        guard let definition = try? await store.definition(hash: run.definitionHash) else {
            return ["run \(run.id): its definition \(run.definitionHash.prefix(12)) is not in the store"]
        }
        do {
            let plan = try Compiler.compile(WorkflowValidator.parse(data: Data(definition.source.utf8), path: definition.path))
            let machine = try Replayer.replay(plan: plan, runID: run.id, events: events)
            if machine.status != run.status { return ["run \(run.id): its row says \(run.status.rawValue), its history \(machine.status.rawValue)"] }
            return []
        } catch {
            return ["run \(run.id): the history does not replay: \(error)"]
        }
    }

    private static func worker(_ kind: EventKind) -> String? {
        if case .stepStarted(_, _, _, let worker) = kind { return worker }
        return nil
    }

    private static func uniqueFacts(_ runID: String, _ events: [Event]) -> [String] {
        var started: [String: Int] = [:], results: [String: Int] = [:], completed: [String: Int] = [:]
        for event in events {
            switch event.kind {
            case .stepStarted(let step, let visit, let attempt, _):
                started["\(step)#\(visit).\(attempt)", default: 0] += 1
            case .stepCompleted(let step, let visit, let attempt, _, _):
                completed["\(step)#\(visit)", default: 0] += 1
                if started["\(step)#\(visit).\(attempt)"] != nil { results["\(step)#\(visit).\(attempt)", default: 0] += 1 }
            case .stepFailed(let step, let visit, let attempt, _, _), .stepSuspended(let step, let visit, let attempt, _, _):
                if started["\(step)#\(visit).\(attempt)"] != nil { results["\(step)#\(visit).\(attempt)", default: 0] += 1 }
            default:
                break
            }
        }
        return started.filter { $0.value > 1 }.map { "run \(runID): attempt \($0.key) started \($0.value) times" }
            + results.filter { $0.value > 1 }.map { "run \(runID): attempt \($0.key) has \($0.value) results" }
            + completed.filter { $0.value > 1 }.map { "run \(runID): step \($0.key) completed \($0.value) times" }
    }

    private static func callsMatch(_ runID: String, _ events: [Event], calls: [ScriptedActivities.Call]) -> [String] {
        var startedAt: [String: Int] = [:], scheduledAt: [String: Int] = [:]
        var checkpoints: [String: [(seq: Int, turn: Int)]] = [:]
        /// Per visit, whether its latest checkpoint or suspension so far was a suspension, as of
        /// each attempt's scheduling: then that attempt must be given the answer.
        var suspendedLast: [String: Bool] = [:], mustBeAnswered: [String: Bool] = [:]
        for event in events {
            switch event.kind {
            case .stepStarted(let step, let visit, let attempt, _): startedAt["\(step)#\(visit).\(attempt)"] = event.seq
            case .stepScheduled(let step, let visit, let attempt, _):
                scheduledAt["\(step)#\(visit).\(attempt)"] = event.seq
                mustBeAnswered["\(step)#\(visit).\(attempt)"] = suspendedLast["\(step)#\(visit)"] ?? false
            case .stepSuspended(let step, let visit, _, _, _):
                suspendedLast["\(step)#\(visit)"] = true
            case .stepCheckpointed(let step, let visit, _, let data):
                suspendedLast["\(step)#\(visit)"] = false
                checkpoints["\(step)#\(visit)", default: []].append((event.seq, data["turn"]?.numberValue.map { Int($0) } ?? -1))
            default: break
            }
        }
        var violations: [String] = []
        for call in calls {
            let attempt = "\(call.step)#\(call.visit).\(call.attempt)"
            guard startedAt[attempt] != nil else {
                violations.append("run \(runID): attempt \(attempt) was called without its StepStarted in the history")
                continue
            }
            if call.answered == false, mustBeAnswered[attempt] == true {
                violations.append("run \(runID): attempt \(attempt) resumed a suspension without its answer")
            }
            if let resumed = call.resumedAfter, let scheduled = scheduledAt[attempt] {
                let latest = checkpoints["\(call.step)#\(call.visit)"]?.filter { $0.seq < scheduled }.map(\.turn).max() ?? 0
                if resumed != latest { violations.append("run \(runID): attempt \(attempt) resumed after turn \(resumed), its visit had checkpointed turn \(latest)") }
            }
        }
        return violations
    }

    /// The faulty play against the crash-free one: the same end, unless a cancellation was
    /// injected (then `cancelled`) or a process died mid-call (then also the documented
    /// failure: the lost attempt counts against the retry policy).
    static func compare(_ faulty: SimulationOutcome, with reference: SimulationOutcome) -> [String] {
        guard reference.violations.isEmpty, reference.status?.isFinished == true else {
            return ["the crash-free run itself failed its checks: \(reference)"]
        }
        if faulty.cancelled {
            return faulty.status == .cancelled ? [] : ["a cancellation was accepted, but the run ended \(faulty.status?.rawValue ?? "unfinished")"]
        }
        let same = faulty.status == reference.status && faulty.output == reference.output && faulty.errorType == reference.errorType
        if same || (faulty.lostAttempts && faulty.status == .failed) { return [] }
        return ["the run ended \(faulty.status?.rawValue ?? "unfinished") \(faulty.output?.compactJSON ?? faulty.errorType ?? ""); "
            + "a crash-free run ends \(reference.status?.rawValue ?? "unfinished") \(reference.output?.compactJSON ?? reference.errorType ?? "")"]
    }
}
