"""A number box never writes back a value HTML cannot hold as a number (the Nu HTML Checker
flagged value="abc"); the message beside it still says what was wrong."""

import re

import pytest

from site_project.lists import NumberInput


@pytest.mark.parametrize("value", ["500", "12.5", "-1", ".5", "1e3", "1E-2"])
def test_a_valid_number_is_written_back(value):
    assert NumberInput().format_value(value) == value


@pytest.mark.parametrize("value", ["abc", "1,5", "12.", "1e", "+1", " 5", "5 mg", "0x10", "∞"])
def test_anything_else_is_left_out(value):
    assert NumberInput().format_value(value) is None


@pytest.mark.django_db
def test_the_calculator_leaves_bad_numbers_out_and_says_why(client, seeded):
    response = client.get(
        "/supplements/calculator/",
        {"form": "percent", "percent": "abc", "amount_mg": "12.5", "pills": "x", "per_day": "1.5"},
    )
    assert response.status_code == 200
    values = dict(re.findall(r'<input type="number" name="(\w+)"(?: value="([^"]*)")?', response.text))
    assert values == {"percent": "", "amount_mg": "12.5", "pills": "", "per_day": "1.5"}
    assert "Enter the elemental magnesium as a number, for example 14.1." in response.text
    assert "Enter the servings taken together as a whole number from 1 to 20." in response.text
