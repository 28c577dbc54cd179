# The two commands of the README, and a few helpers.
.PHONY: run test build stop bench clean

## Bring the whole system up on this machine, with demo data.
run:
	deploy/run.sh

## Run every test against a real broker and database started for the purpose.
test:
	deploy/test.sh

build:
	swift build

## Stop what `make run` started.
stop:
	deploy/run.sh stop

## Run the benchmarks against the development instance.
bench:
	deploy/bench.sh

clean:
	rm -rf .build .run
