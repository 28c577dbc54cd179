import BPMN
import Contracts
import Testing

/// Multi-instance activities (BPMN 2.0, 10.3.7).
@Suite struct MultiInstanceTests {
    func model(sequential: Bool, completion: String? = nil) -> String {
        document("""
            <startEvent id="s"/>
            <userTask id="readMeter"><extensionElements><zeebe:ioMapping><zeebe:input source="=meter.serial" target="serial"/></zeebe:ioMapping></extensionElements>
              <multiInstanceLoopCharacteristics isSequential="\(sequential)">
                <extensionElements><zeebe:loopCharacteristics inputCollection="=meters" inputElement="meter" outputCollection="readings" outputElement="=reading"/></extensionElements>
                \(completion.map { "<completionCondition>\($0)</completionCondition>" } ?? "")
              </multiInstanceLoopCharacteristics>
            </userTask>
            <endEvent id="e"/>\(flows("s", "readMeter", "e"))
            """)
    }

    let meters: [String: JSONValue] = ["meters": .array(["A", "B", "C"].map { .object(["serial": .string($0)]) })]

    @Test func parallelInstancesRunAtOnceAndCollectTheirOutputInOrder() throws {
        var run = try Run(model(sequential: false))
        try run.start(meters)
        #expect(run.tasks.map { $0.variables["serial"] } == [.string("A"), .string("B"), .string("C")])
        #expect(run.tasks.map { $0.variables["loopCounter"] } == [.number(1), .number(2), .number(3)])
        // Completed out of order, collected in the order of the collection.
        for (serial, value) in [("C", 30.0), ("A", 10.0), ("B", 20.0)] {
            let task = try #require(run.tasks.first { $0.variables["serial"] == .string(serial) })
            try run.execute(.completeTask(key: task.key, variables: ["reading": .number(value)]))
        }
        #expect(run.variables["readings"] == .array([.number(10), .number(20), .number(30)]))
        #expect(run.summary == "completed")
    }

    @Test func sequentialInstancesRunOneAfterTheOther() throws {
        var run = try Run(model(sequential: true))
        try run.start(meters)
        #expect(run.tasks.count == 1)
        try run.completeTask("readMeter", ["reading": .number(1)])
        #expect(run.tasks.count == 2)
        #expect(run.tasks[1].variables["serial"] == .string("B"))
        try run.completeTask("readMeter", ["reading": .number(2)])
        try run.completeTask("readMeter", ["reading": .number(3)])
        #expect(run.variables["readings"] == .array([.number(1), .number(2), .number(3)]))
        #expect(run.summary == "completed")
    }

    @Test func theCompletionConditionEndsTheRemainingInstances() throws {
        var run = try Run(model(sequential: false, completion: "=numberOfCompletedInstances &gt;= 2"))
        try run.start(meters)
        try run.completeTask("readMeter", ["reading": .number(1)])
        #expect(run.summary == "active")
        try run.completeTask("readMeter", ["reading": .number(2)])
        #expect(run.terminated == ["readMeter"])
        #expect(run.variables["readings"] == .array([.number(1), .number(2), .null]))
        #expect(run.summary == "completed")
    }

    @Test func anEmptyCollectionCompletesAtOnce() throws {
        var run = try Run(model(sequential: false))
        try run.start(["meters": .array([])])
        #expect(run.tasks.isEmpty)
        #expect(run.variables["readings"] == .array([]))
        #expect(run.summary == "completed")
    }

    @Test func aCollectionThatIsNotAListIsAnIncident() throws {
        var run = try Run(model(sequential: false))
        try run.start(["meters": .string("A,B")])
        #expect(run.incidents.first?.contains("is not a list") == true)
    }

    @Test func camunda7CollectionAndCardinality() throws {
        var run = try Run(document("""
            <startEvent id="s"/>
            <userTask id="sign" camunda:assignee="${approver}"><multiInstanceLoopCharacteristics camunda:collection="approvers" camunda:elementVariable="approver"/></userTask>
            \(serviceTask("retry"))<endEvent id="e"/>\(flows("s", "sign", "e"))
            """))
        try run.start(["approvers": .array([.string("sara"), .string("ali")])])
        #expect(run.tasks.map(\.assignee) == ["sara", "ali"])
        var counted = try Run(document("""
            <startEvent id="s"/><task id="t"><multiInstanceLoopCharacteristics isSequential="true"><loopCardinality>=3</loopCardinality></multiInstanceLoopCharacteristics></task>
            <endEvent id="e"/>\(flows("s", "t", "e"))
            """))
        try counted.start()
        #expect(counted.completed.filter { $0 == "t" }.count == 4)  // three instances and the body
    }

    @Test func aBoundaryEventOnAMultiInstanceActivityEndsAllInstances() throws {
        var run = try Run(document("""
            <startEvent id="s"/>
            <userTask id="sign"><multiInstanceLoopCharacteristics><extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2,3]" inputElement="n"/></extensionElements></multiInstanceLoopCharacteristics></userTask>
            <endEvent id="e"/>\(flows("s", "sign", "e"))
            <boundaryEvent id="timeout" attachedToRef="sign"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></boundaryEvent><endEvent id="late"/>\(flow("timeout", "late"))
            """))
        try run.start()
        #expect(run.effects.filter { if case .timerScheduled = $0 { true } else { false } }.count == 1)
        try run.advance(86_400)
        #expect(run.terminated.filter { $0 == "sign" }.count == 4)
        #expect(run.summary == "completed")
    }
}
