#!/usr/bin/env bash
# The whole test suite, against a real RabbitMQ and PostgreSQL (installed and started
# locally when missing; a server that cannot be started fails the run, it never skips).
# Idempotent: run it as often as you like.
#
# Three test targets (see docs/architecture.md): UnitTests (no servers), IntegrationTests
# (real RabbitMQ and PostgreSQL) and ScenarioTests (the whole pipeline, faults, restarts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. infra/swift-env.sh

infra/local/up.sh
# Whatever happens, leave the broker without the tests' queues (see the script).
trap 'infra/local/sweep-test-topology.sh || true' EXIT
infra/local/python.sh   # frictionless-py (Table Schema oracle) and openpyxl (reads XLSX outputs)
swift build --build-tests
# Unit tests first and alone: fast, and a failure there says the most.
swift test --skip-build --filter '^UnitTests\.'
# Integration and scenarios in parallel, but for the suites that must run on their own...
swift test --skip-build --filter '^(IntegrationTests|ScenarioTests)\.' \
  --skip BrokerRestart --skip DatabaseRestart --skip HeavyInputTests \
  --skip IncidentFlowTests --skip RedriveTests --skip RetryAndPoisonTests --skip FaultTests \
  --skip ScheduleCLITests --skip ScheduleActionTests --skip CalculatedMetricsTests
# ...the schedule and metric suites that each run a whole pipeline with a gateway, on their own...
swift test --skip-build --filter ScheduleCLITests --filter ScheduleActionTests --filter CalculatedMetricsTests
# ...the failure scenarios together (1,000 dead letters, consumers killed in child
# processes, timed retries, chunk-store faults: they would starve the suites above)...
swift test --skip-build --filter IncidentFlowTests --filter RedriveTests --filter RetryAndPoisonTests \
  --filter ChunkStoreFaultTests
# ...every data-plane service SIGKILLed mid-job, alone (four pipelines with child processes)...
swift test --skip-build --filter 'ScenarioTests\.FaultTests'
# ...the 10 MB-field inputs alone (their decodes would starve the other suites' services)...
swift test --skip-build --filter HeavyInputTests
# ...and the broker and database restarts alone: they restart the servers under everyone's feet.
swift test --skip-build --filter BrokerRestart
swift test --skip-build --filter DatabaseRestart
