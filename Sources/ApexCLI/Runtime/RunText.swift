import ApexDSL
import ApexEngine
import ArgumentParser
import Foundation

/// The text of `apex show`, `apex runs` and `apex history`, rendered from the JSON the commands
/// print with `--json` and the HTTP API answers (``RunJSON``, ``StepJSON``, the stored events of
/// docs/history.md), so that a local store and a server print the same bytes.
enum RunText {
    /// `apex show RUN`: the run's header lines (the start as its timestamp and its age at `now`,
    /// ``RelativeAge``), a blank line and the table of its steps.
    ///
    /// - Parameters:
    ///   - detail: ``RunJSON/detail(_:steps:)`` (`GET /v1/runs/{id}`).
    ///   - now: The present: the end of an unfinished run's (and step's) duration, and what ages are measured from.
    static func show(_ detail: JSONValue, now: Timestamp) -> String {
        let started = time(detail["started_at"]) ?? now
        let end = time(detail["finished_at"]) ?? now
        let hash = text(detail["definition_hash"])
        let usage = detail["usage"]
        var lines = [
            "run       \(text(detail["id"]))",
            "workflow  \(text(detail["workflow"])) (\(hash.prefix(12)))",
            "status    \(text(detail["status"]))\(detail["current_step"]?.stringValue.map { " at \($0)" } ?? "")",
            "started   \(text(detail["started_at"]))\(time(detail["started_at"]).map { ", " + RelativeAge.text(from: $0, now: now) } ?? "")  (\(TextTable.duration(milliseconds: end.milliseconds - started.milliseconds)))",
            "tokens    \(int(usage?["input_tokens"])) in, \(int(usage?["output_tokens"])) out",
            "input     \((detail["input"] ?? .null).compactJSON)",
        ]
        if let output = output(of: detail) { lines.append("output    \(output.compactJSON)") }
        if let error = detail["error"], !error.isNull { lines.append("error     \(text(error["type"])): \(text(error["message"]))") }
        var rows = [["STEP", "STATUS", "ATTEMPTS", "DURATION", "TOKENS"]]
        for step in detail["steps"]?.arrayValue ?? [] {
            let stepStart = time(step["started_at"]) ?? started
            let stepEnd = time(step["finished_at"]) ?? end
            let tokens = step["usage"].flatMap { $0.isNull ? nil : "\(int($0["input_tokens"]) + int($0["output_tokens"]))" } ?? "-"
            rows.append([text(step["step"]), text(step["status"]), "\(int(step["attempts"]))",
                         TextTable.duration(milliseconds: stepEnd.milliseconds - stepStart.milliseconds), tokens])
            rows += (step["log"]?.arrayValue ?? []).flatMap(logRows)
        }
        return lines.map { $0 + "\n" }.joined() + "\n" + TextTable.render(rows)
    }

    /// The rows under its step for what an attempt recorded: an agent's model turn (the tools it
    /// called, and a row for each call that waits for a person, naming the signal to send), tool
    /// call, approval or answer.
    static func logRows(_ entry: JSONValue) -> [[String]] {
        guard let row = logRow(entry) else { return [] }
        let waits = (entry["tool_calls"]?.arrayValue ?? []).compactMap { call -> [String]? in
            guard let signal = call["signal"]?.stringValue else { return nil }
            return ["  \(text(call["name"]))(\(shortened(text(call["arguments"]))))", "waits for signal \(signal)", "", "", ""]
        }
        return [row] + waits
    }

    private static func shortened(_ text: String) -> Substring {
        text.count > 40 ? text.prefix(39) + "…" : Substring(text)
    }

    private static func logRow(_ entry: JSONValue) -> [String]? {
        let duration = entry["duration_ms"]?.numberValue.map { TextTable.duration(milliseconds: Int64($0)) } ?? ""
        let name = text(entry["name"])
        switch entry["type"]?.stringValue {
        case "turn":
            let calls = entry["tool_calls"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            let what = calls.isEmpty ? (entry["schema_mismatch"] == true ? "answer off schema" : "answered") : "→ " + calls.joined(separator: ", ")
            let usage = entry["usage"]
            return ["  turn \(int(entry["turn"]))", what, "", duration, "\(int(usage?["input_tokens"]) + int(usage?["output_tokens"]))"]
        case "tool_call":
            return ["  \(name)(\(shortened(text(entry["arguments"]))))", entry["is_error"] == true ? "error" : "ok", "\(int(entry["attempts"]))", duration, ""]
        case "approval":
            return ["  \(name)", entry["approve"] == true ? "approved" : "refused: \(text(entry["reason"]))", "", "", ""]
        case "answer":
            return ["  \(name)", entry["timed_out"] == true ? "no answer" : "answered", "", "", ""]
        case "tools":
            return ["  tools", "\(entry["names"]?.arrayValue?.count ?? 0) offered", "", "", ""]
        default:
            return nil
        }
    }

    /// `apex runs`: the table of runs, newest first as given, each start as its age at `now`
    /// (``RelativeAge``).
    ///
    /// - Parameters:
    ///   - records: ``RunJSON/record(_:)`` of each run.
    ///   - now: The present, for the ages and the duration of unfinished runs.
    static func runs(_ records: [JSONValue], now: Timestamp) -> String {
        var rows = [["ID", "WORKFLOW", "STATUS", "STEP", "STARTED", "DURATION"]]
        for run in records {
            let started = time(run["started_at"]) ?? now
            let end = time(run["finished_at"]) ?? now
            rows.append([text(run["id"]), text(run["workflow"]), text(run["status"]), run["current_step"]?.stringValue ?? "-",
                         time(run["started_at"]).map { RelativeAge.text(from: $0, now: now) } ?? text(run["started_at"]), TextTable.duration(milliseconds: end.milliseconds - started.milliseconds)])
        }
        return TextTable.render(rows)
    }

    /// One line of `apex history`: `seq  at  type  name=value …`, from a stored event's JSON
    /// (`{"seq", "type", "at", …fields}`; a stream's `run_id` is not one of its fields).
    static func historyLine(_ event: JSONValue) -> String {
        let members = event.objectValue ?? [:]
        let fields = members.filter { !["seq", "type", "at", "run_id"].contains($0.key) }
            .map { "\($0.key)=\($0.value.compactJSON)" }.joined(separator: " ")
        return "\(int(members["seq"]))  \(text(members["at"]))  \(text(members["type"]))  \(fields)"
    }

    /// The run's output as a record's JSON holds it: a completed run has one, `null` included;
    /// any other run has none.
    static func output(of record: JSONValue) -> JSONValue? {
        // (Not `cond ? output : nil`: JSONValue is ExpressibleByNilLiteral, so that nil is `.null`.)
        guard let output = record["output"], !output.isNull || record["status"]?.stringValue == RunStatus.completed.rawValue else { return nil }
        return output
    }

    /// The status of a record's JSON (`running` when it does not say).
    static func status(of record: JSONValue) -> RunStatus {
        record["status"]?.stringValue.flatMap(RunStatus.init(rawValue:)) ?? .running
    }

    /// A record's JSON without the members `apex show --json` adds (`usage`, `steps`): what
    /// `apex run --json` prints.
    static func record(fromDetail detail: JSONValue) -> JSONValue {
        guard var object = detail.objectValue else { return detail }
        object.removeValue(forKey: "usage")
        object.removeValue(forKey: "steps")
        return .object(object)
    }

    static func time(_ value: JSONValue?) -> Timestamp? {
        value?.stringValue.flatMap(Timestamp.init(rfc3339:))
    }

    private static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: text
        case nil, .null?: ""
        case let other?: other.compactJSON
        }
    }

    private static func int(_ value: JSONValue?) -> Int {
        if case .int(let number)? = value { return number }
        return 0
    }
}
