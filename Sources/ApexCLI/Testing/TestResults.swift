import ApexDSL
import ApexEngine
import ArgumentParser
import Foundation
import OrderedCollections

/// How `apex test` prints its results.
enum TestReportFormat: String, ExpressibleByArgument, CaseIterable {
    /// One line per case, a diff under each failure, a summary on standard error.
    case text
    /// One JSON document (docs/cli.md, "`apex test`").
    case json
    /// JUnit XML, which CI systems read.
    case junit
    /// GitHub Actions annotations at each failing case, plus the text summary.
    case github
}

/// One case's result.
struct CaseResult: Sendable {
    var testCase: WorkflowTestCase
    var failures: [ExpectationCheck.Failure]
    var seconds: Double
    var passed: Bool { failures.isEmpty }
}

/// One test file's results: its cases, or the problems that kept it from running.
struct FileResult: Sendable {
    var path: String
    /// Set when the file has errors: then no case ran.
    var invalid: DiagnosticReport?
    var cases: [CaseResult]

    var failedCount: Int { cases.filter { !$0.passed }.count + (invalid == nil ? 0 : 1) }
}

/// Renders results in each ``TestReportFormat``.
enum TestResultRenderer {
    static func text(_ file: FileResult, colors: Bool) -> String {
        if let invalid = file.invalid { return DiagnosticRenderer.text(invalid, colors: colors) }
        let style = TerminalStyle(enabled: colors)
        var out = "\(file.path)\n"
        for result in file.cases {
            let mark = result.passed ? style.green("✓") : style.red("✗")
            out += "  \(mark) \(result.testCase.name) (\(milliseconds(result.seconds)))\n"
            for failure in result.failures {
                out += "      \(failure.message)\n"
                guard let diff = failure.diff else { continue }
                out += "      " + style.red("- expected") + " " + style.green("+ actual") + "\n"
                for line in diff.split(separator: "\n", omittingEmptySubsequences: false) {
                    let colored = line.hasPrefix("- ") ? style.red(String(line)) : line.hasPrefix("+ ") ? style.green(String(line)) : String(line)
                    out += "      \(colored)\n"
                }
            }
        }
        return out
    }

    static func summary(_ files: [FileResult], seconds: Double) -> String {
        let cases = files.flatMap(\.cases)
        let failed = cases.filter { !$0.passed }.count
        let invalid = files.filter { $0.invalid != nil }.count
        var line = "\(cases.count) case\(cases.count == 1 ? "" : "s"): \(cases.count - failed) passed, \(failed) failed"
        if invalid > 0 { line += "; \(invalid) test file\(invalid == 1 ? "" : "s") with errors" }
        return line + " (\(milliseconds(seconds)))"
    }

    /// `::error file=…,line=…,title=…::message` at each failing case, and at each problem of
    /// an invalid file.
    static func github(_ file: FileResult) -> String {
        if let invalid = file.invalid { return DiagnosticRenderer.github(invalid) }
        return file.cases.filter { !$0.passed }.map { result in
            let message = result.failures.map { $0.message + ($0.diff.map { "\n" + $0 } ?? "") }.joined(separator: "\n")
            return "::error file=\(DiagnosticRenderer.escapeProperty(file.path)),line=\(result.testCase.range.start.line),title=\(DiagnosticRenderer.escapeProperty("apex test: " + result.testCase.name))::\(DiagnosticRenderer.escapeData(message))\n"
        }.joined()
    }

    static func json(_ files: [FileResult], seconds: Double) -> JSONValue {
        let cases = files.flatMap(\.cases)
        return [
            "files": .array(files.map { file in
                var fields: OrderedDictionary<String, JSONValue> = ["path": .string(file.path)]
                if let invalid = file.invalid {
                    fields["errors"] = .array(invalid.diagnostics.map { .string("\($0.range.start.line):\($0.range.start.column): \($0.message) [\($0.rule.rawValue)]") })
                }
                fields["cases"] = .array(file.cases.map { result in
                    [
                        "name": .string(result.testCase.name),
                        "line": .int(result.testCase.range.start.line),
                        "passed": .bool(result.passed),
                        "seconds": .double(result.seconds),
                        "failures": .array(result.failures.map { ["message": .string($0.message), "diff": $0.diff.map(JSONValue.string) ?? .null] }),
                    ]
                })
                return .object(fields)
            }),
            "passed": .int(cases.filter(\.passed).count),
            "failed": .int(cases.filter { !$0.passed }.count),
            "invalid_files": .int(files.filter { $0.invalid != nil }.count),
            "seconds": .double(seconds),
        ]
    }

    /// JUnit XML: a `<testsuite>` per file, a `<testcase>` per case with a `<failure>` for each
    /// failing one (an invalid file is one failing case named after the file).
    static func junit(_ files: [FileResult], seconds: Double) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let total = files.reduce(0) { $0 + max($1.cases.count, $1.invalid == nil ? 0 : 1) }
        let failures = files.reduce(0) { $0 + $1.failedCount }
        out += "<testsuites name=\"apex test\" tests=\"\(total)\" failures=\"\(failures)\" time=\"\(format(seconds))\">\n"
        for file in files {
            let time = file.cases.reduce(0) { $0 + $1.seconds }
            out += "  <testsuite name=\"\(xml(file.path))\" tests=\"\(max(file.cases.count, file.invalid == nil ? 0 : 1))\" failures=\"\(file.failedCount)\" time=\"\(format(time))\">\n"
            if let invalid = file.invalid {
                let text = DiagnosticRenderer.text(invalid, colors: false)
                out += "    <testcase classname=\"\(xml(file.path))\" name=\"\(xml(file.path))\" time=\"0\">\n"
                out += "      <failure message=\"the test file has errors\">\(xml(text))</failure>\n    </testcase>\n"
            }
            for result in file.cases {
                out += "    <testcase classname=\"\(xml(file.path))\" name=\"\(xml(result.testCase.name))\" time=\"\(format(result.seconds))\""
                guard !result.passed else {
                    out += "/>\n"
                    continue
                }
                let body = result.failures.map { $0.message + ($0.diff.map { "\n" + $0 } ?? "") }.joined(separator: "\n")
                out += ">\n      <failure message=\"\(xml(result.failures[0].message))\">\(xml(body))</failure>\n    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    private static func milliseconds(_ seconds: Double) -> String {
        seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : String(format: "%.2f s", seconds)
    }

    private static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    private static func xml(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
            // XML 1.0 has no other control characters.
            case _ where scalar.value < 0x20: out += "?"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
