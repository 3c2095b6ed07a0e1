from tests.intake.conftest import IntakeUnderTest, register


async def test_register_then_read(intake: IntakeUnderTest) -> None:
    created = await register(intake)
    assert created["status"] == "registered"
