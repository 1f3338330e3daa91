import ApexDSL
import ArgumentParser
import Foundation
import OrderedCollections

/// The run input: `--input JSON`, `--input-file F`, or repeated `-i key=value` (the value is
/// parsed as JSON when it is valid JSON, else taken as a string).
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("input"), help: "The run input as JSON.")
    var json: String?

    @Option(name: .customLong("input-file"), help: "A file holding the run input as JSON.", completion: .jsonFiles)
    var file: String?

    @Option(name: .customShort("i"), help: ArgumentHelp("An input field: key=value (value parsed as JSON when valid).", valueName: "key=value"))
    var fields: [String] = []

    func value() throws -> JSONValue {
        let sources = [json != nil, file != nil, !fields.isEmpty].filter { $0 }.count
        guard sources <= 1 else { throw ValidationError("give the input one way: --input, --input-file or -i") }
        if let json { return try parse(json, what: "--input") }
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read input file \(file)") }
            return try parse(String(decoding: data, as: UTF8.self), what: file)
        }
        var object = OrderedDictionary<String, JSONValue>()
        for field in fields {
            guard let equals = field.firstIndex(of: "=") else { throw ValidationError("-i takes key=value, not \"\(field)\"") }
            let text = String(field[field.index(after: equals)...])
            object[String(field[..<equals])] = (try? JSONValue(parsing: text)) ?? .string(text)
        }
        return .object(object)
    }

    private func parse(_ text: String, what: String) throws -> JSONValue {
        do { return try JSONValue(parsing: text) } catch { throw ValidationError("\(what) is not valid JSON: \(error)") }
    }
}
