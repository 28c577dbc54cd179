/// The namespaces the reader understands.
enum Namespace {
    static let bpmn = "http://www.omg.org/spec/BPMN/20100524/MODEL"
    static let bpmndi = "http://www.omg.org/spec/BPMN/20100524/DI"
    static let dc = "http://www.omg.org/spec/DD/20100524/DC"
    static let di = "http://www.omg.org/spec/DD/20100524/DI"
    /// Camunda 8.
    static let zeebe = "http://camunda.org/schema/zeebe/1.0"
    /// Camunda 7, and its Activiti ancestor.
    static let camunda = "http://camunda.org/schema/1.0/bpmn"
    static let activiti = "http://activiti.org/bpmn"
    static let flowable = "http://flowable.org/bpmn"
    /// The engines whose attributes mean the same (assignee, candidateGroups, collection ...).
    static let classicEngines = [camunda, activiti, flowable]
}
