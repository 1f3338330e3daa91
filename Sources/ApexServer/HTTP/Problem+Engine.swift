import ApexDSL
import ApexEngine

extension Problem {
    /// The answer to an engine's or a store's error. Anything unexpected becomes a 500 with no
    /// detail (it is logged with the request id instead).
    static func from(_ error: any Error) -> Problem? {
        switch error {
        case let problem as Problem: return problem
        case StoreError.unknownRun(let id): return .notFound("no run with id \(id)")
        case StoreError.runFinished(let id): return .conflict("run-finished", "run \(id) has already finished")
        case StoreError.unavailable, StoreError.unusable: return .storeUnavailable
        case let error as EngineError:
            switch error {
            case .inputInvalid(let problems):
                return Problem(.unprocessableContent, "invalid-input", "Invalid input", detail: error.description,
                               extensions: ["errors": .array(problems.map(JSONValue.string))])
            case .signalPayloadInvalid(_, let problems):
                return Problem(.unprocessableContent, "invalid-payload", "Invalid signal payload", detail: error.description,
                               extensions: ["errors": .array(problems.map(JSONValue.string))])
            case .unknownSignal(_, let known):
                return Problem(.unprocessableContent, "unknown-signal", "Unknown signal", detail: error.description,
                               extensions: ["known": .array(known.map(JSONValue.string))])
            case .payloadTooLarge: return Problem(.contentTooLarge, "payload-too-large", "Payload too large", detail: error.description)
            case .idTaken: return .conflict("id-taken", error.description)
            case .invalidRunID: return Problem(.unprocessableContent, "invalid-run-id", "Invalid run id", detail: error.description)
            case .definitionUnusable, .runBusy: return nil
            }
        default: return nil
        }
    }
}
