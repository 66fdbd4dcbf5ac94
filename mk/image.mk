# Image targets; included by the main Makefile.
#   make image        build the runner and operator images (jars if missing, local JRE base if missing)
#   make image-base   only the local debootstrapped JRE base image both are built FROM
#   make image-test   build them, build bundle images FROM the runner, check them all (no Docker engine needed)
# Needs root, podman, buildah and debootstrap (apt-get install -y podman buildah debootstrap).
# See docs/image.md.

# JRE base both images are built FROM; the default is made locally by image-base.
RUNNER_BASE_IMAGE ?= localhost/schemagate-base-jre:bookworm
RUNNER_IMAGE ?= localhost/schemagate-runner:dev
OPERATOR_IMAGE ?= localhost/schemagate-operator:dev

# Resolved at include time, so the targets work from any directory make runs in.
IMAGE_SCRIPTS := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../migrations-image/image)
IMAGE_ENV = RUNNER_BASE_IMAGE='$(RUNNER_BASE_IMAGE)' RUNNER_IMAGE='$(RUNNER_IMAGE)' OPERATOR_IMAGE='$(OPERATOR_IMAGE)'

.PHONY: image image-base image-test

image-base: ## only the local debootstrapped JRE base image
	$(IMAGE_ENV) $(IMAGE_SCRIPTS)/base.sh

image: ## build the runner and operator images with podman (localhost/schemagate-{runner,operator}:dev)
	$(IMAGE_ENV) $(IMAGE_SCRIPTS)/build.sh

image-test: ## build both images and bundle images, check them inside (user, flags, CDS, lint, verify; no Docker engine)
	$(IMAGE_ENV) $(IMAGE_SCRIPTS)/image-test.sh
