import Logging
import ServiceKit
import Testing

@Suite struct ServiceConfigurationTests {
    @Test func defaultsAreTheLocalDevelopmentInstance() throws {
        let configuration = try ServiceConfiguration.fromEnvironment(service: "billing", environment: [:])
        #expect(configuration.amqp.user == "billing")
        #expect(configuration.amqp.virtualHost == "utilis")
        #expect(configuration.amqp.port == 5672)
        #expect(configuration.database.database == "billing")
        #expect(configuration.database.port == 5433)
        #expect(configuration.httpPort == 0)
        #expect(configuration.logLevel == .info)
    }

    @Test func everySettingComesFromItsVariable() throws {
        let configuration = try ServiceConfiguration.fromEnvironment(service: "ledger", environment: [
            "UTILIS_AMQP_URL": "amqp://ledger:pw@mq.internal:5673/prod", "UTILIS_DATABASE_URL": "postgresql://ledger@db.internal/ledger_prod",
            "UTILIS_HTTP_PORT": "9102", "UTILIS_LOG_LEVEL": "debug", "UTILIS_DB_POOL": "16", "UTILIS_INSTANCE": "ledger-0",
        ])
        #expect(configuration.amqp.host == "mq.internal")
        #expect(configuration.amqp.virtualHost == "prod")
        #expect(configuration.database.host == "db.internal")
        #expect(configuration.database.database == "ledger_prod")
        #expect(configuration.httpPort == 9102)
        #expect(configuration.logLevel == .debug)
        #expect(configuration.databasePoolSize == 16)
        #expect(configuration.instance == "ledger-0")
    }

    @Test func aWrongValueIsNamedByItsVariable() {
        #expect(throws: ConfigurationError.self) {
            try ServiceConfiguration.fromEnvironment(service: "x", environment: ["UTILIS_HTTP_PORT": "eighty"])
        }
        do {
            _ = try ServiceConfiguration.fromEnvironment(service: "x", environment: ["UTILIS_LOG_LEVEL": "loud"])
            Issue.record("a wrong log level was accepted")
        } catch let error as ConfigurationError {
            #expect(error.key == "UTILIS_LOG_LEVEL")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
