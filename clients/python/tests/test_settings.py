"""The broker settings resolve as the dp3q commands do: argument, then environment, then default."""
import pytest

from dp3q.settings import BrokerSettings, masked


def test_the_default_is_the_local_broker_as_guest():
    settings = BrokerSettings(env={})

    assert (settings.nodes, settings.vhost, settings.user, settings.password()) == (
        [("localhost", 5672)], "/", "guest", "guest")


def test_dp3q_broker_names_nodes_vhost_and_user():
    settings = BrokerSettings(env={"DP3Q_BROKER": "amqp://pipe:s%40cret@h1:5673,h2/self%2Fcal"})

    assert settings.nodes == [("h1", 5673), ("h2", 5672)]
    assert (settings.vhost, settings.user, settings.password()) == ("self/cal", "pipe", "s@cret")


def test_the_password_file_wins_over_the_environment_which_wins_over_the_uri(tmp_path):
    secret = tmp_path / "password"
    secret.write_text("from-file\n")
    uri = "amqp://pipe:from-uri@h1/v"

    assert BrokerSettings(uri, env={"DP3Q_BROKER_PASSWORD": "from-env"}).password() == "from-env"
    assert BrokerSettings(uri, env={"DP3Q_BROKER_PASSWORD": "from-env",
                                    "DP3Q_BROKER_PASSWORD_FILE": str(secret)}).password() == "from-file"
    assert BrokerSettings(uri, env={}).password() == "from-uri"


def test_amqps_defaults_to_port_5671_and_builds_tls_options():
    settings = BrokerSettings("amqps://pipe@rabbit.lab/v", env={})

    assert settings.nodes == [("rabbit.lab", 5671)]
    assert settings.connection_parameters()[0].ssl_options is not None


@pytest.mark.parametrize("uri, complaint", [
    ("http://h/v", "must start with amqp:// or amqps://"), ("amqp://u:pw@h:99999/v", "has no valid port"),
    ("amqp://u:pw@h1,,h2/v", "has an empty host")])
def test_a_bad_uri_is_refused_with_the_password_masked(uri, complaint):
    with pytest.raises(ValueError) as refused:
        BrokerSettings(uri, env={})

    assert complaint in str(refused.value) and "pw" not in str(refused.value).replace("amqp://u:****", "")


def test_a_ca_file_needs_amqps():
    with pytest.raises(ValueError, match="needs an amqps://"):
        BrokerSettings("amqp://h/v", ca_file="/etc/ssl/ca.pem", env={})


def test_passwords_are_masked_in_any_text():
    assert masked("cannot reach amqp://pipe:s3cret@h1:5672/v now") == "cannot reach amqp://pipe:****@h1:5672/v now"
