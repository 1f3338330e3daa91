import NIOCore
import NIOSSL
import PostgresNIO

extension PostgresStoreConfiguration {
    /// The pool's settings: `poolSize` connections at most, none kept open while idle.
    var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch sslMode {
        case .disable: .disable
        case .prefer: .prefer(Self.unverifiedTLS)
        case .require: .require(Self.unverifiedTLS)
        case .verifyFull: .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                         database: database, tls: tls)
        configuration.options.maximumConnections = max(poolSize, 1)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// The settings of a connection of its own (the listening connection, a diagnosing probe).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = switch sslMode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: Self.unverifiedTLS))
        case .require: .require(try NIOSSLContext(configuration: Self.unverifiedTLS))
        case .verifyFull: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password,
                                                             database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// libpq's `prefer` and `require`: encrypted, but any certificate is accepted.
    private static var unverifiedTLS: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        return tls
    }
}
