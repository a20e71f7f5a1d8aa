"""The pytest plugin's events, as a programme's suite sees them: what the cluster sent, and
the programme's own receiver (an ASGI app) getting them before the causing call returns."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

DATA = Path(__file__).resolve().parent / "data" / "events"


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(
        f"""
        [pytest]
        interop_spec = {DATA / "hr-api.yaml"}
        """
    )
    pytester.makeconftest(
        '''
        import hashlib, hmac, json

        SECRET = b"interop-demo-signing-secret"

        def make_receiver(refuse_middle_names=False):
            """The programme's receiver: checks the signature, keeps the workers hired."""
            hired = []

            async def app(scope, receive, send):
                body = b""
                while True:
                    message = await receive()
                    body += message.get("body", b"")
                    if not message.get("more_body"):
                        break
                headers = {k.decode(): v.decode() for k, v in scope["headers"]}
                expected = hmac.new(SECRET, body, hashlib.sha256).hexdigest()
                event = json.loads(body)
                if headers.get("x-interop-signature") != expected:
                    status = 401
                elif refuse_middle_names and "middleName" in event["data"]:
                    status = 422
                else:
                    hired.append(event["data"]["workerId"])
                    status = 204
                await send({"type": "http.response.start", "status": status, "headers": []})
                await send({"type": "http.response.body", "body": b""})

            app.hired = hired
            return app
        '''
    )
    return pytester


def test_the_test_sees_the_events_and_its_receiver_gets_them(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        f"""
        import pytest
        from conftest import make_receiver

        NEW = {{"firstName": "Ada", "lastName": "Lovelace", "hireDate": "2026-02-01"}}

        @pytest.mark.interop_cluster(events="{DATA / "hr-events-3.0.yaml"}")
        def test_hire_is_announced(interop_cluster):
            receiver = make_receiver()
            interop_cluster.subscribe(receiver, ["hr.worker.hired"])
            worker = interop_cluster.client.post("/workers", json=NEW).json()["workerId"]
            assert receiver.hired == [worker]  # delivered before post() returned
            (event,) = interop_cluster.events_on("hr.worker.hired")
            assert event.name == "worker.hired"
            assert interop_cluster.deliveries[0].status == 204

        @pytest.mark.interop_cluster(events="{DATA / "hr-events-3.0.yaml"}")
        def test_each_test_starts_with_no_events(interop_cluster):
            assert interop_cluster.events == []
            assert interop_cluster.deliveries == []

        @pytest.mark.interop_cluster(events="{DATA / "hr-events-3.0.yaml"}")
        def test_a_defective_receiver_shows_in_the_deliveries(interop_cluster):
            receiver = make_receiver(refuse_middle_names=True)
            interop_cluster.subscribe(receiver)
            interop_cluster.client.post("/workers", json={{**NEW, "middleName": "Augusta"}})
            (delivery,) = interop_cluster.deliveries
            assert (delivery.outcome, delivery.status, len(delivery.attempts)) == (
                "failed", 422, 1
            )

        def test_without_events_there_are_none_and_subscribing_says_so(interop_cluster):
            interop_cluster.client.post("/workers", json=NEW)
            assert interop_cluster.events == []
            with pytest.raises(pytest.UsageError, match="publishes no events"):
                interop_cluster.subscribe("http://localhost:1/x")
        """
    )
    result = suite.runpytest("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=4)


def test_conform_events_in_process_finds_the_receivers_defect(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        f"""
        import pytest
        from conftest import make_receiver

        EVENTS = "{DATA / "hr-events-3.0.yaml"}"
        MINE = "{DATA / "hr-receiver-3.0.yaml"}"

        @pytest.mark.interop_cluster(events=EVENTS)
        def test_defective_receiver(interop_cluster):
            result = interop_cluster.conform_events(
                make_receiver(refuse_middle_names=True), MINE, max_examples=30, seed=3
            )
            rejected = [f for f in result.findings if f.rule == "conform.event.rejected"]
            assert len(rejected) == 1
            assert "middleName" in rejected[0].request["body"]["data"]
            assert rejected[0].response["status"] == 422

        @pytest.mark.interop_cluster(events=EVENTS)
        def test_sound_receiver(interop_cluster):
            result = interop_cluster.conform_events(make_receiver(), MINE, max_examples=30)
            assert result.exit_code == 0
        """
    )
    result = suite.runpytest("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=2)
