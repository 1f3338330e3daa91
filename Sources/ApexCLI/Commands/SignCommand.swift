import ApexDSL
import ApexServer
import ArgumentParser
import Foundation

/// `apex sign --path PATH`: the headers of a signed webhook delivery, for scripts and tests.
struct SignCommand: ConsoleCommand, ColorChoosing {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Print the headers that sign a webhook delivery to apex serve.",
        discussion: """
            Signs METHOD, the path (with its query string) and the body with the namespace's \
            secret, as apex serve checks it: APEX_WEBHOOK_SECRET for namespace default, \
            APEX_WEBHOOK_SECRET_<NS> for another (upper-cased, other characters as _), read \
            from the environment or .env. The body is --data, --data-file or standard input; \
            send exactly those bytes (curl --data-binary, not --data).

            Examples:
              apex sign --path /v1/hooks/default/runs/r1/signals/go --data '{}'
              HOOK=/v1/hooks/billing-eu/runs/r1/signals/paid
              apex sign --path "$HOOK" --data-file body.json > headers.txt
              curl -H @headers.txt --data-binary @body.json "http://127.0.0.1:8080$HOOK"

            Exit status: 0 printed, 2 missing or short secret, unreadable body or bad usage.
            """
    )

    enum Format: String, CaseIterable, ExpressibleByArgument {
        case headers, curl
    }

    @Option(help: "The request path as it will be sent, with its query string (/v1/hooks/NS/runs/RUN/signals/NAME).")
    var path: String

    @Option(help: "The HTTP method.")
    var method = "POST"

    @Option(help: "The body, as given.")
    var data: String?

    @Option(help: "A file holding the body.", completion: .file())
    var dataFile: String?

    @Option(help: "The variable holding the secret (default: the one of the path's namespace).")
    var secretEnv: String?

    @Option(help: "The timestamp in Unix seconds (default: now).")
    var timestamp: Int?

    @Option(help: "The delivery id: letters, digits, - and _ (default: a new UUID).")
    var delivery: String?

    @Option(help: "headers: three header lines; curl: -H arguments on one line.")
    var format: Format = .headers

    @Flag(help: "Print the headers as one JSON object, name to value (instead of --format).")
    var json = false

    @OptionGroup var colorOption: ColorOption

    func run(console: Console) async throws -> ExitCode {
        guard data == nil || dataFile == nil else { throw ValidationError("give the body one way: --data, --data-file or standard input") }
        guard !(json && format != .headers) else { throw ValidationError("--json and --format curl cannot be used together") }
        guard path.hasPrefix("/") else { throw ValidationError("--path must start with /, as the request target does") }
        if let timestamp, timestamp < 0 { throw ValidationError("--timestamp must be Unix seconds") }
        let delivery = delivery ?? UUID().uuidString.lowercased()
        guard WebhookSignature.isValidDelivery(delivery) else { throw ValidationError("--delivery must be 1 to 128 letters, digits, - or _") }
        guard let variable = secretEnv ?? WebhookSignature.namespace(inPath: path).map(WebhookSignature.secretVariable) else {
            throw ValidationError("--path does not start with \(WebhookSignature.pathPrefix)NAMESPACE/; name the secret's variable with --secret-env")
        }
        guard let secret = Settings(console: console).environment[variable] else {
            console.error.writeLine("error: \(variable) is not set (in the environment or .env)")
            return .badInput
        }
        do { try SharedSecret.check(secret, variable: variable) } catch {
            console.error.writeLine("error: \(error)")
            return .badInput
        }
        let body: Data
        if let data { body = Data(data.utf8) } else if let dataFile {
            guard let contents = FileManager.default.contents(atPath: dataFile) else {
                console.error.writeLine("error: cannot read \(dataFile)")
                return .badInput
            }
            body = contents
        } else {
            body = FileHandle.standardInput.readDataToEndOfFile()
        }
        let time = String(timestamp ?? Int(Date().timeIntervalSince1970))
        let signature = WebhookSignature.sign(secret: secret, timestamp: time, delivery: delivery, method: method, path: path, body: body)
        let headers = [(WebhookSignature.timestampHeader, time), (WebhookSignature.deliveryHeader, delivery),
                       (WebhookSignature.signatureHeader, signature)]
        if json {
            let object: JSONValue = [headers[0].0: .string(headers[0].1), headers[1].0: .string(headers[1].1), headers[2].0: .string(headers[2].1)]
            console.output.writeLine(object.prettyJSON)
            return .success
        }
        switch format {
        case .headers: for (name, value) in headers { console.output.writeLine("\(name): \(value)") }
        case .curl: console.output.writeLine(headers.map { "-H '\($0.0): \($0.1)'" }.joined(separator: " "))
        }
        return .success
    }
}
