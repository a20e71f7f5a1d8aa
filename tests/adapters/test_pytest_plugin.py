"""The pytest plugin, as a programme's test suite sees it (pytester, in-process)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = REPO / "contracts"


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini(
        f"""
        [pytest]
        interop_catalogue = {CATALOGUE}
        """
    )
    return pytester


def test_passing_test_gets_a_cluster_mock(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import pytest

        def list_workers(client, headers):
            response = client.get("/workers", params={"limit": 5}, headers=headers)
            response.raise_for_status()
            return [w["PersonNumber"] for w in response.json()["items"]]

        @pytest.mark.interop_cluster("synergy")
        def test_onboarding(interop_cluster):
            assert interop_cluster.base_url.endswith("/hcmRestApi/resources/11.13.18.05")
            numbers = list_workers(interop_cluster.client, interop_cluster.credentials)
            assert len(numbers) == 5
            assert interop_cluster.mock.violations == []
        """
    )
    result = suite.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_violation_fails_the_test_even_when_the_code_swallows_it(suite) -> None:
    suite.makepyfile(
        """
        import pytest

        def hire(client, headers):
            # Flat create-employee: breaks Oracle's nested work relationships.
            response = client.post("/workers", json={"FirstName": "Ada"}, headers=headers)
            return response.status_code  # the programme ignores the 400

        @pytest.mark.interop_cluster("synergy", version="1.4.0")
        def test_hire(interop_cluster):
            assert hire(interop_cluster.client, interop_cluster.credentials) == 400
        """
    )
    result = suite.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*interop: the code under test sent 1 request(s) that break the contract*",
            "*against synergy 1.4.0*",
            "*POST /hcmRestApi/resources/11.13.18.05/workers (POST /workers) -> 400: * problems",
            "*  - request body*LastName*required*",
        ]
    )


def test_factory_ini_default_and_non_strict(suite) -> None:
    suite.makeini(
        f"""
        [pytest]
        interop_catalogue = {CATALOGUE}
        interop_cluster = unity
        """
    )
    suite.makepyfile(
        """
        def test_default_from_ini(interop_cluster):
            assert "unity" in interop_cluster.base_url

        def test_factory_two_clusters(interop_mock):
            unity = interop_mock("unity", version="2.3.0")
            matrix = interop_mock("matrix")
            assert unity.mock.contract.version == "2.3.0"
            workers = matrix.client.get(
                "/staffing/v1/dsit/workers", headers=matrix.credentials
            )
            assert workers.status_code == 200

        def test_non_strict_records_without_failing(interop_mock):
            loose = interop_mock("defence", strict=False)
            assert loose.client.get("/workers").status_code == 401
            assert len(loose.violations) == 1

        def test_spec_file(interop_mock):
            mock = interop_mock(spec=SPEC)
            assert mock.client.get("/widgets", headers={"X-API-Key": "k"}).status_code == 200
        """.replace("SPEC", repr(str(Path(__file__).parent / "data" / "crud.yaml")))
    )
    result = suite.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_async_client(suite) -> None:
    suite.makepyfile(
        """
        import pytest

        @pytest.mark.anyio
        @pytest.mark.interop_cluster("overseas")
        async def test_async(interop_cluster, anyio_backend):
            client = interop_cluster.async_client
            response = await client.get("/workers", headers=interop_cluster.credentials)
            assert response.status_code == 200
            bad = await client.get("/workers", params={"limit": 0},
                                   headers=interop_cluster.credentials)
            assert bad.status_code == 400

        @pytest.fixture
        def anyio_backend():
            return "asyncio"
        """
    )
    result = suite.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*query parameter 'limit'*"])


def test_no_cluster_named_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_x(interop_cluster):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*interop: name a cluster*"])


def test_quirks_are_replayed_unless_turned_off(suite) -> None:
    """Defence's gateway answers an unknown new hire with its own 404 body (a documented
    quirk); the marker's ``quirks=False`` (or ``interop_quirks = false``) gives the contract's."""
    suite.makepyfile(
        """
        import pytest

        def not_found(cluster):
            answer = cluster.client.get("/newHires/1", headers=cluster.credentials)
            assert answer.status_code == 404
            return answer.json()

        @pytest.mark.interop_cluster("defence")
        def test_as_the_cluster_behaves(interop_cluster):
            assert not_found(interop_cluster)["statusCode"] == 404

        @pytest.mark.interop_cluster("defence", quirks=False)
        def test_as_the_contract_says(interop_cluster):
            assert "title" in not_found(interop_cluster)
        """
    )
    result = suite.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_every_violation_in_a_request_is_reported(suite) -> None:
    """One request that breaks three things (credentials, a required header, the body): the
    mock answers as the first problem says (401), and the failure lists all of them."""
    suite.makepyfile(
        """
        import pytest

        @pytest.mark.interop_cluster("synergy")
        def test_update_absence(interop_cluster):
            response = interop_cluster.client.patch(
                "/absences/300100000000001", json={"AbsenceStatus": 7}
            )
            assert response.status_code == 401
            assert response.headers["x-interop-problem-count"] == "3"
            problems = response.headers["x-interop-problems"].split(" | ")
            assert problems[0] == response.headers["x-interop-problem"]
            (violation,) = interop_cluster.violations
            assert violation.every == tuple(problems)
        """
    )
    result = suite.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*interop: the code under test sent 1 request(s) that break the contract*",
            "*PATCH */absences/300100000000001 (PATCH /absences/{AbsenceId}) -> 401: 3 problems",
            "*  - *credentials*",
            "*  - missing required header 'if-match'",
            "*  - request body*'AbsenceStatus' was unexpected*",
        ]
    )
    result.stdout.no_fnmatch_line("*AssertionError*")  # the test's own checks of the answer held
