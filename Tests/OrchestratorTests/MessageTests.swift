import AMQP
import Contracts
import Foundation
import Messaging
import Postgres
import Testing
import TestSupport

/// Messages by name and correlation key, kept for their time to live when nothing waits yet;
/// signals to every waiting instance.
extension OrchestratorTests {
    static let paymentModel = """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d">
          <message id="paid" name="payment-received"><extensionElements><zeebe:subscription correlationKey="=bill"/></extensionElements></message>
          <signal id="storm" name="storm-warning"/>
          <process id="await-payment" name="Await payment" isExecutable="true">
            <startEvent id="billed"/><userTask id="send"/>
            <receiveTask id="waitPayment" messageRef="paid"/>
            <boundaryEvent id="onStorm" attachedToRef="waitPayment" cancelActivity="false"><signalEventDefinition signalRef="storm"/></boundaryEvent>
            <userTask id="postpone"/><endEvent id="postponed"/>
            <userTask id="thank"/><endEvent id="settled"/>
            <sequenceFlow id="f1" sourceRef="billed" targetRef="send"/><sequenceFlow id="f2" sourceRef="send" targetRef="waitPayment"/>
            <sequenceFlow id="f3" sourceRef="waitPayment" targetRef="thank"/><sequenceFlow id="f4" sourceRef="thank" targetRef="settled"/>
            <sequenceFlow id="f5" sourceRef="onStorm" targetRef="postpone"/><sequenceFlow id="f6" sourceRef="postpone" targetRef="postponed"/>
          </process>
        </definitions>
        """

    @Test func aMessageGoesToTheInstanceWithItsKeyOrWaitsInTheBufferForItsTimeToLive() async throws {
        let running = try await start(models: ["await-payment.bpmn": Self.paymentModel])
        _ = try await running.nextEvent()
        let listening = try await listen(jobType: TestEnvironment.uniqueName("none"), on: running)

        // BILL-1 waits first and gets its message; BILL-2's message comes before it waits.
        try await send(StartProcess(processId: "await-payment", version: nil, businessKey: "BILL-1", variables: ["bill": .string("BILL-1")]), on: running)
        let first = try await next(TaskCreated.self, on: running, from: listening)
        try await send(CompleteTask(taskId: first.taskId, variables: nil), on: running)
        let db = PostgresConnection(configuration: running.database)
        try await eventually("BILL-1 waits for its payment") {
            try await db.query("SELECT count(*) FROM subscriptions WHERE kind = 'message' AND correlation_key = 'BILL-1'").scalar(Int.self) == 1
        }
        try await send(CorrelateMessage(name: "payment-received", correlationKey: "BILL-2", variables: ["amount": .number(75)], timeToLive: "PT1H"), on: running)
        try await send(CorrelateMessage(name: "payment-received", correlationKey: "BILL-1", variables: ["amount": .number(40)], timeToLive: nil), on: running)
        let thanked = try await next(TaskCreated.self, on: running, from: listening)
        #expect(thanked.elementId == "thank" && thanked.businessKey == "BILL-1")
        #expect(thanked.variables["amount"] == .number(40))
        try await eventually("BILL-2's payment is kept") { try await db.query("SELECT count(*) FROM buffered_messages").scalar(Int.self) == 1 }

        try await send(StartProcess(processId: "await-payment", version: nil, businessKey: "BILL-2", variables: ["bill": .string("BILL-2")]), on: running)
        let second = try await next(TaskCreated.self, on: running, from: listening)
        try await send(CompleteTask(taskId: second.taskId, variables: nil), on: running)
        let thankedToo = try await next(TaskCreated.self, on: running, from: listening)
        #expect(thankedToo.elementId == "thank" && thankedToo.businessKey == "BILL-2")
        #expect(thankedToo.variables["amount"] == .number(75))
        #expect(try await db.query("SELECT count(*) FROM buffered_messages").scalar(Int.self) == 0)

        // A message with no time to live and nobody waiting is dropped, not kept.
        try await send(CorrelateMessage(name: "payment-received", correlationKey: "BILL-3", variables: nil, timeToLive: nil), on: running)
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await db.query("SELECT count(*) FROM buffered_messages").scalar(Int.self) == 0)
        await db.close()
        await running.stop()
    }

    @Test func aSignalReachesEveryInstanceWaitingForIt() async throws {
        let running = try await start(models: ["await-payment.bpmn": Self.paymentModel])
        _ = try await running.nextEvent()
        let listening = try await listen(jobType: TestEnvironment.uniqueName("none"), on: running)
        for bill in ["B-1", "B-2"] {
            try await send(StartProcess(processId: "await-payment", version: nil, businessKey: bill, variables: ["bill": .string(bill)]), on: running)
            let task = try await next(TaskCreated.self, on: running, from: listening)
            try await send(CompleteTask(taskId: task.taskId, variables: nil), on: running)
        }
        let db = PostgresConnection(configuration: running.database)
        try await eventually("both wait") { try await db.query("SELECT count(*) FROM subscriptions WHERE kind = 'signal'").scalar(Int.self) == 2 }
        try await send(BroadcastSignal(name: "storm-warning", variables: nil), on: running)
        var postponed: Set<String> = []
        while postponed.count < 2 {
            let task = try await next(TaskCreated.self, on: running, from: listening)
            if task.elementId == "postpone" { postponed.insert(task.businessKey ?? "") }
        }
        #expect(postponed == ["B-1", "B-2"])
        await db.close()
        await running.stop()
    }
}

extension OrchestratorTests {
    @Test func anEventOfAnotherServiceBoundToAMessageReachesTheInstanceOfItsKey() async throws {
        let bindings = #"[{"event": "ledger.payment-received", "message": "payment-received", "correlationKey": "billNumber"}]"#
        let running = try await start(models: ["await-payment.bpmn": Self.paymentModel, "event-bindings.json": bindings])
        _ = try await running.nextEvent()
        _ = try? await running.broker.purgeQueue("orchestrator.events.dead")
        let listening = try await listen(jobType: TestEnvironment.uniqueName("none"), on: running)
        try await send(StartProcess(processId: "await-payment", version: nil, businessKey: "BILL-5", variables: ["bill": .string("BILL-5")]), on: running)
        let sent = try await next(TaskCreated.self, on: running, from: listening)
        try await send(CompleteTask(taskId: sent.taskId, variables: nil), on: running)
        let db = PostgresConnection(configuration: running.database)
        try await eventually("BILL-5 waits for its payment") {
            try await db.query("SELECT count(*) FROM subscriptions WHERE kind = 'message' AND correlation_key = 'BILL-5'").scalar(Int.self) == 1
        }
        await db.close()

        // The ledger announces payments; one without the bill number cannot be correlated.
        func publish(_ body: String) async throws {
            let outcome = try await running.broker.publish([
                AMQPOutgoingMessage(
                    exchange: Exchanges.events, routingKey: "ledger.payment-received",
                    properties: Envelope(type: "ledger.payment-received.v1", actor: "system:ledger").properties(), body: Array(body.utf8))
            ])
            #expect(outcome == [.confirmed])
        }
        try await publish(#"{"customerId": "C-7", "amount": 40}"#)
        try await publish(#"{"billNumber": "BILL-5", "amount": 40}"#)
        let thanked = try await next(TaskCreated.self, on: running, from: listening)
        #expect(thanked.elementId == "thank" && thanked.businessKey == "BILL-5" && thanked.variables["amount"] == .number(40))
        var letters: [DeadLetters.Letter] = []
        try await eventually("the payment without a bill number is dead-lettered") {
            letters += try await DeadLetters.list(deadQueue: "orchestrator.events.dead", connection: running.broker)
            return !letters.isEmpty
        }
        #expect(letters.first?.reason.contains("correlationKey: billNumber gives Null") == true, "\(letters.map(\.reason))")
        await running.stop()
    }
}
