import ApexEngine
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import _ConnectionPoolModule

/// What a failed attempt at a statement means for the store: give up with an error, or try
/// again because the database could not be reached (or the connection broke) and may be back.
///
/// Messages are one short line built here from codes and the server's own message text. The
/// description of postgres-nio's `PSQLError` is never used: it can be long, and nothing here
/// should ever risk carrying connection settings (the password) into a message or a log.
enum AttemptFailure {
    case final(any Error)
    case transient(String)
}

/// A connection failure, as a message and whether waiting can help.
struct ConnectFailure: Sendable {
    var message: String
    /// Retrying cannot help (wrong password, no such database, TLS refused or not trusted): the
    /// store reports ``StoreError/unusable(_:)`` at once.
    var isFatal: Bool
}

enum ErrorMapping {
    static let noSchema = "the database has no apex schema: run `apex migrate`"

    /// Sorts an error of an attempt. `StoreError`s and cancellation pass through unchanged.
    static func classify(_ error: any Error, _ configuration: PostgresStoreConfiguration) -> AttemptFailure {
        switch error {
        case let error as StoreError: return .final(error)
        case let error as CancellationError: return .final(error)
        case let error as CommitOutcomeUnknown: return classify(error.underlying, configuration)
        case let error as PostgresDecodingError:
            return .final(StoreError.unusable("a value read from the database has an unexpected type (column \(error.columnName))"))
        case let error as PSQLError: return classify(error, configuration)
        case let error as ConnectionPoolError:
            if error == .poolShutdown { return .final(StoreError.unusable("the store was shut down")) }
            if error == .requestCancelled { return .final(CancellationError()) }
            return .transient("cannot connect to \(configuration.address)")
        case is IOError, is NIOConnectionError, is ChannelError, is NIOSSLError, is BoringSSLError, is NIOSSLExtraError:
            let failure = connectFailure(error, configuration)
            return failure.isFatal ? .final(StoreError.unusable(failure.message)) : .transient(failure.message)
        default:
            // Not the database's: a history that does not decode, say. Passed on as it is.
            return .final(error)
        }
    }

    private static func classify(_ error: PSQLError, _ configuration: PostgresStoreConfiguration) -> AttemptFailure {
        if let server = error.serverInfo {
            let state = server[.sqlState] ?? ""
            let message = server[.message] ?? "an error without a message"
            switch state {
            case "42P01": return .final(StoreError.unusable(noSchema))
            case "42703", "42883", "42P10":
                return .final(StoreError.unusable("the database's apex schema is not the one this apex expects (\(message)): run `apex migrate`"))
            // Rolled back with nothing written: the attempt can run again.
            case "40001", "40P01": return .transient(message)
            // The server is shutting down, starting up, or full of connections.
            case "57P01", "57P02", "57P03", "53300": return .transient(message)
            case _ where state.hasPrefix("08"): return .transient(message)
            case _ where state.hasPrefix("28"), "3D000": return .final(StoreError.unusable(message))
            default: return .final(StoreError.unusable("\(message) (SQLSTATE \(state))"))
            }
        }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown:
            let failure = connectFailure(error, configuration)
            return failure.isFatal ? .final(StoreError.unusable(failure.message)) : .transient(failure.message)
        case .queryCancelled: return .transient("the query was cancelled")
        case .poolClosed: return .final(StoreError.unusable("the store was shut down"))
        case .tooManyParameters: return .final(StoreError.unusable("a statement had more than 65,535 parameters"))
        default:
            let failure = connectFailure(error, configuration)
            return .final(StoreError.unusable(failure.message))
        }
    }

    /// Why connecting (or staying connected) failed, in one line without the password.
    static func connectFailure(_ error: any Error, _ configuration: PostgresStoreConfiguration) -> ConnectFailure {
        let address = configuration.address
        switch error {
        case let error as PSQLError:
            if let server = error.serverInfo {
                let state = server[.sqlState] ?? ""
                let message = server[.message] ?? "the server refused the connection (SQLSTATE \(state))"
                let waitable = state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state)
                return ConnectFailure(message: message, isFatal: !waitable)
            }
            switch error.code {
            case .sslUnsupported:
                return ConnectFailure(message: "the server does not support TLS (sslmode=\(configuration.sslMode.rawValue))", isFatal: true)
            case .authMechanismRequiresPassword:
                return ConnectFailure(message: "the server asks for a password for user \"\(configuration.user)\" and none is configured", isFatal: true)
            case .unsupportedAuthMechanism:
                return ConnectFailure(message: "the server asks for an authentication method postgres-nio does not support", isFatal: true)
            case .saslError:
                return ConnectFailure(message: "SCRAM authentication with the server failed for user \"\(configuration.user)\"", isFatal: true)
            case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown:
                if let underlying = error.underlying { return connectFailure(underlying, configuration) }
                return ConnectFailure(message: "the connection to \(address) was closed", isFatal: false)
            default:
                return ConnectFailure(message: "unexpected answer from \(address) (\(error.code))", isFatal: true)
            }
        case let error as IOError:
            if error.errnoCode == ECONNREFUSED { return ConnectFailure(message: "connection refused to \(address)", isFatal: false) }
            if error.errnoCode == ECONNRESET || error.errnoCode == EPIPE {
                return ConnectFailure(message: "the connection to \(address) was reset", isFatal: false)
            }
            return ConnectFailure(message: "cannot connect to \(address): \(String(cString: strerror(error.errnoCode)))", isFatal: false)
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return connectFailure(first.error, configuration) }
            return ConnectFailure(message: "cannot resolve the host name \"\(configuration.host)\"", isFatal: false)
        case let error as ChannelError:
            if case .connectTimeout(let timeout) = error {
                return ConnectFailure(message: "no answer from \(address) within \(timeout.nanoseconds / 1_000_000_000) s", isFatal: false)
            }
            return ConnectFailure(message: "the connection to \(address) was closed", isFatal: false)
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError:
            // A certificate that is not accepted stays so; any other TLS failure is a connection
            // cut during the handshake (a server going down), which waiting may mend.
            let sslMode = configuration.sslMode.rawValue
            if error is NIOSSLExtraError || String(describing: error).contains("CERTIFICATE_VERIFY_FAILED") {
                return ConnectFailure(message: "TLS with \(address) failed: the server's certificate is not trusted for this host (sslmode=\(sslMode))",
                                      isFatal: true)
            }
            return ConnectFailure(message: "TLS with \(address) failed: the connection broke during the handshake (sslmode=\(sslMode))", isFatal: false)
        case is CancellationError:
            return ConnectFailure(message: "cancelled", isFatal: false)
        default:
            return ConnectFailure(message: "cannot connect to \(address) (\(type(of: error)))", isFatal: false)
        }
    }
}

/// COMMIT failed on a broken connection: the transaction may or may not have been committed.
struct CommitOutcomeUnknown: Error {
    var underlying: any Error
}
