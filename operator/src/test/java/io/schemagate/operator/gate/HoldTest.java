package io.schemagate.operator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.schemagate.api.SchemaGateApi;
import io.schemagate.operator.gate.GateDecision.Why;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HoldTest {
  static final GateDecision OPEN = new GateDecision(true, Why.SchemaReady, "ready");
  static final GateDecision SHUT = new GateDecision(false, Why.MigrationNotReady, "not ready");
  static final Map<String, String> OURS = Map.of(SchemaGateApi.PAUSED_BY_ANNOTATION, "accounts");

  @Test
  void aShutGateHoldsARunningDeployment() {
    assertThat(Hold.next(null, null, SHUT)).isEqualTo(Hold.PLACE);
    assertThat(Hold.next(false, Map.of(), SHUT)).isEqualTo(Hold.PLACE);
  }

  @Test
  void ourHoldStaysWhileTheGateIsShutAndIsPlacedAgainIfSomeoneUnpausedIt() {
    assertThat(Hold.next(true, OURS, SHUT)).isEqualTo(Hold.KEEP);
    assertThat(Hold.next(false, OURS, SHUT)).isEqualTo(Hold.PLACE);
  }

  @Test
  void anOpenGateReleasesOnlyOurHold() {
    assertThat(Hold.next(true, OURS, OPEN)).isEqualTo(Hold.RELEASE);
    assertThat(Hold.next(false, OURS, OPEN)).as("annotation left behind").isEqualTo(Hold.RELEASE);
    assertThat(Hold.next(false, Map.of(), OPEN)).isEqualTo(Hold.KEEP);
  }

  @Test
  void aDeploymentAPersonPausedIsNeverClaimedNorUnpaused() {
    assertThat(Hold.next(true, Map.of(), SHUT)).isEqualTo(Hold.KEEP);
    assertThat(Hold.next(true, Map.of(), OPEN)).isEqualTo(Hold.KEEP);
    assertThat(Hold.next(true, null, new GateDecision(true, Why.Bypassed, "bypassed")))
        .isEqualTo(Hold.KEEP);
  }

  @Test
  void bypassAndUngatingReleaseOurHold() {
    assertThat(Hold.next(true, OURS, new GateDecision(true, Why.Bypassed, "b")))
        .isEqualTo(Hold.RELEASE);
    assertThat(Hold.next(true, OURS, new GateDecision(true, Why.NotGated, "n")))
        .isEqualTo(Hold.RELEASE);
  }
}
