"""minicloud: a real OpenStack control plane on 127.0.0.1 for mattach-tempest.

Modules, each small and with one job:
  layout    where things live (state dir, venv, ports, service names)
  install   apt packages and the private venv (pinned by the constraints file)
  procs     starting, watching and stopping our daemons by PID file
  configs   rendering every service's configuration file
  services  the list of daemons, their command lines and health checks
  bootstrap databases, keystone, catalog, flavors, volume type, image, accounts
  tempest_ws  the tempest workspace (tempest.conf, accounts file)
  cli       the `tools/minicloud` sub-commands

Helpers run *inside* the cloud's venv (not by this CLI):
  wsgi        gunicorn app factories that reset sys.argv before import
  nova_fake   nova fake virt driver with a fixed node UUID
  cinder_fake cinder fake backend that reports multiattach
  nova_compute  launcher that lets nova-compute load nova_fake
"""
