"""The scheduler hints placing servers on different hosts or on one."""

from mattach_tempest.tests import nova_attach
from mattach_tempest.unit import base

A, B, C = ({'id': 'a'}, {'id': 'b'}, {'id': 'c'})


class PlacementHintsTest(base.ConfiguredTestCase):

    def setUp(self):
        super().setUp()
        self.set_conf('compute', min_compute_nodes=2)
        self.hints = nova_attach.NovaAttachMixin.placement_hints

    def test_first_server_gets_no_hint(self):
        self.assertEqual({}, self.hints('different', []))
        self.assertEqual({}, self.hints('same', []))

    def test_different_names_every_server_before_while_hosts_are_left(self):
        self.assertEqual({'scheduler_hints': {'different_host': ['a']}},
                         self.hints('different', [A]))
        # Two hosts, both taken: a third server goes anywhere.
        self.assertEqual({}, self.hints('different', [A, B]))
        self.set_conf('compute', min_compute_nodes=3)
        self.assertEqual(
            {'scheduler_hints': {'different_host': ['a', 'b']}},
            self.hints('different', [A, B]))

    def test_same_names_the_first_server(self):
        self.assertEqual({'scheduler_hints': {'same_host': ['a']}},
                         self.hints('same', [A, B, C]))

    def test_spread(self):
        spread = nova_attach.NovaAttachMixin.placement_spread
        self.assertEqual((1, 2, 2), (spread(3, 'same'),
                                     spread(3, 'different'),
                                     spread(2, 'different')))
