import ApexDSL
import ApexEngine
import Foundation

/// Prints a run's steps live on stderr as their events commit (docs/cli.md, "`apex run`"):
/// `✓ classify  1.2s  412 tokens`, `↻ draft  attempt 2/5 in 2s: llm.rate_limited`,
/// `⏸ approval  waiting for signal "approve" — send it with: apex signal ID approve --data '{…}'`.
/// On a terminal (with colours allowed), a model's reply is shown growing as it streams in.
final class ProgressPrinter: RunObserver, @unchecked Sendable {
    // Events come from one driver task at a time, streamed text from the calls' tasks; the
    // lock keeps their writes whole and guards the start times and the live line.
    private let lock = NSLock()
    private var startedAt: [String: Timestamp] = [:]
    private var liveLine = LiveReplyLine()
    private let stream: ConsoleStream
    private let style: TerminalStyle
    private let runID: String
    /// Whether the history found when driving starts is printed too: for a run this command
    /// has just started, whose first steps were decided in the starting transaction.
    private let printsLoadedHistory: Bool

    init(stream: ConsoleStream, style: TerminalStyle, runID: String, printsLoadedHistory: Bool) {
        self.stream = stream
        self.style = style
        self.runID = runID
        self.printsLoadedHistory = printsLoadedHistory
    }

    /// Learns when the steps in flight started, so their durations are right after a resume.
    func loaded(_ events: [Event], machine: RunMachine) {
        loaded(events, waitingSignals: machine.waitingSignals, currentStep: machine.currentStep)
    }

    func committed(_ events: [Event], machine: RunMachine) {
        committed(events, waitingSignals: machine.waitingSignals)
    }

    /// ``loaded(_:machine:)`` from what the machine says: the signals waited for and the
    /// current step after the events (a run followed on a server has its machine only when its
    /// plan is known here).
    func loaded(_ events: [Event], waitingSignals: [String], currentStep: String?) {
        lock.withLock {
            for event in events {
                if printsLoadedHistory {
                    print(event, waitingSignals: waitingSignals)
                } else if case .stepScheduled(let step, let visit, 1, _) = event.kind {
                    startedAt["\(step)#\(visit)"] = event.at
                }
            }
            if !printsLoadedHistory, let signal = waitingSignals.first, let step = currentStep {
                line(style.cyan("⏸"), step, "waiting for signal \"\(signal)\" — send it with: apex signal \(runID) \(signal) --data '{…}'")
            }
        }
    }

    /// ``committed(_:machine:)`` from the signals waited for after the events.
    func committed(_ events: [Event], waitingSignals: [String]) {
        lock.withLock {
            for event in events { print(event, waitingSignals: waitingSignals) }
        }
    }

    func progressed(_ progress: LiveProgress) {
        guard style.isEnabled, case .text(let delta) = progress.kind else { return }
        lock.withLock {
            stream.write(liveLine.add(progress, delta: delta, style: style))
        }
    }

    private func print(_ event: Event, waitingSignals: [String]) {
        switch event.kind {
        case .stepScheduled(let step, let visit, let attempt, let kind):
            if attempt == 1 { startedAt["\(step)#\(visit)"] = event.at }
            if kind == "wait", let signal = waitingSignals.last {
                line(style.cyan("⏸"), step, "waiting for signal \"\(signal)\" — send it with: apex signal \(runID) \(signal) --data '{…}'")
            }
        case .stepCompleted(let step, let visit, _, _, let usage):
            var detail = elapsed(since: startedAt["\(step)#\(visit)"], to: event.at)
            if let usage { detail += "  \(usage.inputTokens + usage.outputTokens) tokens" }
            line(style.green("✓"), step, detail)
        case .stepSkipped(let step, _):
            line("○", step, "skipped")
        case .stepFailed(let step, _, let attempt, let error, let retryAt):
            if let retryAt {
                let wait = elapsed(since: event.at, to: retryAt)
                line(style.yellow("↻"), step, "attempt \(attempt + 1) in \(wait): \(error.type)")
            } else {
                line(style.red("✗"), step, "\(error.type): \(error.message)")
            }
        case .timerStarted(let timer, let fireAt) where timer.hasPrefix("sleep:"):
            line(style.cyan("⏸"), String(timer.dropFirst(6).prefix { $0 != "#" }), "sleeping until \(fireAt)")
        case .runCompleted:
            runLine(style.green("✓") + " run \(runID) completed")
        case .runFailed(let error):
            runLine(style.red("✗") + " run \(runID) failed: \(error.type): \(error.message)")
        case .runCancelled:
            runLine(style.yellow("■") + " run \(runID) cancelled")
        case .runTimedOut:
            runLine(style.red("✗") + " run \(runID) timed out")
        default:
            break
        }
    }

    private func line(_ symbol: String, _ step: String, _ detail: String) {
        stream.write(liveLine.clear())
        stream.writeLine("\(symbol) \(style.bold(step))" + (detail.isEmpty ? "" : "  \(detail)"))
    }

    private func runLine(_ text: String) {
        stream.write(liveLine.clear())
        stream.writeLine(text)
    }

    private func elapsed(since start: Timestamp?, to end: Timestamp) -> String {
        guard let start else { return "" }
        let milliseconds = max(0, end.milliseconds - start.milliseconds)
        return milliseconds < 1000 ? "\(milliseconds)ms" : String(format: "%.1fs", Double(milliseconds) / 1000)
    }
}
