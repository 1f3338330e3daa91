import ApexStorePostgres
import Testing

/// Reading a configuration from a URL and from the environment; none of it needs a server.
@Suite struct ConfigurationTests {
    typealias Configuration = PostgresStoreConfiguration

    @Test func urlWithEveryPart() throws {
        let configuration = try Configuration(url: "postgres://apex:apex-test-pw@db.internal:6543/apex_prod?sslmode=require")
        #expect(configuration == Configuration(host: "db.internal", port: 6543, user: "apex", password: "apex-test-pw",
                                               database: "apex_prod", sslMode: .require))
        #expect(configuration.poolSize == 8)
    }

    @Test(arguments: [("disable", Configuration.SSLMode.disable), ("prefer", .prefer), ("require", .require), ("verify-full", .verifyFull)])
    func everySSLMode(_ text: String, _ mode: Configuration.SSLMode) throws {
        #expect(try Configuration(url: "postgres://u:p@h/d?sslmode=\(text)").sslMode == mode)
        #expect(try Configuration(environment: ["POSTGRES_HOST": "h", "POSTGRES_USER": "u", "POSTGRES_SSLMODE": text]).sslMode == mode)
    }

    @Test func defaultsAndTheOtherScheme() throws {
        let configuration = try Configuration(url: "postgresql://apex@localhost")
        #expect(configuration == Configuration(host: "localhost", port: 5432, user: "apex", password: nil, database: "apex", sslMode: .prefer))
        #expect(try Configuration(url: "postgres://apex:pw@[::1]:5433/db").host == "::1")
        #expect(try Configuration(url: "postgres://apex:pw@[::1]:5433/db").port == 5433)
        #expect(try Configuration(url: "postgres://apex:pw@localhost/db", poolSize: 3).poolSize == 3)
    }

    @Test func percentEncodedCredentials() throws {
        // "p@ss:w/rd?%" and a user with a space.
        let configuration = try Configuration(url: "postgres://apex%20ops:p%40ss%3Aw%2Frd%3F%25@127.0.0.1:5999/apex_test")
        #expect(configuration.user == "apex ops")
        #expect(configuration.password == "p@ss:w/rd?%")
        #expect(configuration.port == 5999)
        // An @ left unencoded in the password still works: the last @ ends the credentials.
        #expect(try Configuration(url: "postgres://apex:p@ss@localhost/db").password == "p@ss")
    }

    @Test func theEnvironment() throws {
        let configuration = try Configuration(environment: [
            "POSTGRES_HOST": "db", "POSTGRES_PORT": "6000", "POSTGRES_USER": "apex", "POSTGRES_PWD": "s3cret",
            "POSTGRES_DB": "runs", "POSTGRES_SSLMODE": "require", "APEX_DB_POOL": "20",
        ])
        #expect(configuration == Configuration(host: "db", port: 6000, user: "apex", password: "s3cret", database: "runs",
                                               sslMode: .require, poolSize: 20))
        let minimal = try Configuration(environment: ["POSTGRES_HOST": "db", "POSTGRES_USER": "apex"])
        #expect(minimal == Configuration(host: "db", user: "apex", password: nil, database: "apex"))
    }

    @Test(arguments: [
        ("mysql://u:hunter2@h/d", "must start with postgres:// or postgresql://"),
        ("postgres://:hunter2@h/d", "names no user"),
        ("postgres://u:hunter2@/d", "names no host"),
        ("postgres://u:hunter2@h:99999/d", "port \"99999\" is not a port number"),
        ("postgres://u:hunter2@h:abc/d", "port \"abc\" is not a port number"),
        ("postgres://u:hunter2@h/d?sslmode=always", "sslmode \"always\" is not one of disable, prefer, require, verify-full"),
        ("postgres://u:hunter2@h/d?timeout=5", "unknown parameter \"timeout\""),
        ("postgres://u:hunter2%ZZ@h/d", "the password in the database URL has a malformed %-escape"),
        ("postgres://u:hunter2@[::1/d", "unclosed ["),
    ])
    func badURLsSayWhatIsWrongWithoutThePassword(_ url: String, _ message: String) {
        let error = #expect(throws: PostgresConfigurationError.self) { try Configuration(url: url) }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        #expect(error?.message.contains("hunter2") == false)
    }

    @Test(arguments: [
        ([String: String](), "POSTGRES_HOST is not set"),
        (["POSTGRES_HOST": "h"], "POSTGRES_USER is not set"),
        (["POSTGRES_HOST": "h", "POSTGRES_USER": "u", "POSTGRES_PORT": "0"], "POSTGRES_PORT \"0\" is not a port number"),
        (["POSTGRES_HOST": "h", "POSTGRES_USER": "u", "APEX_DB_POOL": "many"], "APEX_DB_POOL \"many\" is not a number of connections"),
        (["POSTGRES_HOST": "h", "POSTGRES_USER": "u", "POSTGRES_SSLMODE": "on"], "POSTGRES_SSLMODE \"on\" is not one of"),
    ])
    func badEnvironmentsSayWhichVariable(_ environment: [String: String], _ message: String) {
        var environment = environment
        environment["POSTGRES_PWD"] = "hunter2"
        let error = #expect(throws: PostgresConfigurationError.self) { try Configuration(environment: environment) }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        #expect(error?.message.contains("hunter2") == false)
    }

    @Test func thePasswordIsNeverShown() throws {
        let configuration = try Configuration(url: "postgres://apex:hunter2@127.0.0.1:5432/apex_test?sslmode=verify-full")
        #expect(configuration.redactedURL == "postgres://apex:***@127.0.0.1:5432/apex_test?sslmode=verify-full")
        for shown in ["\(configuration)", String(reflecting: configuration), { var text = ""; dump(configuration, to: &text); return text }()] {
            #expect(!shown.contains("hunter2"), "\(shown)")
        }
        #expect(try Configuration(url: "postgres://apex@h/d").redactedURL == "postgres://apex@h:5432/d?sslmode=prefer")
    }
}
