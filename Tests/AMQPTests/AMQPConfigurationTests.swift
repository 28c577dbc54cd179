import AMQP
import Testing

@Suite struct AMQPConfigurationTests {
    @Test func readsEveryPartOfTheURL() throws {
        let configuration = try AMQPConfiguration(url: "amqp://billing:s%40cret@broker.local:5673/utilis")
        #expect(configuration.user == "billing")
        #expect(configuration.password == "s@cret")
        #expect(configuration.host == "broker.local")
        #expect(configuration.port == 5673)
        #expect(configuration.virtualHost == "utilis")
        #expect(configuration.redacted == "amqp://billing@broker.local:5673/utilis")
        #expect(try AMQPConfiguration(url: "amqp://a:b@h").virtualHost == "/")
    }

    @Test func refusesURLsWithoutCredentialsOrScheme() {
        #expect(throws: AMQPError.self) { try AMQPConfiguration(url: "http://a:b@h/") }
        #expect(throws: AMQPError.self) { try AMQPConfiguration(url: "amqp://h/utilis") }
    }
}
