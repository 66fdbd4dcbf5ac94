-- Argo CD health check for schemagate.io/SchemaMigration (kstatus conditions).
-- Paste into argocd-cm as resource.customizations.health.schemagate.io_SchemaMigration
-- (argocd-cm-patch.yaml here does exactly that). Argo CD sets `obj` to the resource.
--   spec.suspend: true                  -> Suspended
--   status not yet for this generation  -> Progressing
--   Stalled=True                        -> Degraded   (failed deterministically; see its reason)
--   Ready=True                          -> Healthy
--   Reconciling=True, or anything else  -> Progressing
local hs = {}

local function condition(status, type)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function describe(c, fallback)
  local text = fallback
  if c ~= nil then
    if c.reason ~= nil and c.reason ~= "" then
      text = c.reason
    end
    if c.message ~= nil and c.message ~= "" then
      text = text .. ": " .. c.message
    end
  end
  return text
end

local status = obj.status
if obj.spec ~= nil and obj.spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "spec.suspend is true: no new run starts"
  return hs
end
if status == nil or status.observedGeneration == nil
    or obj.metadata.generation == nil
    or status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "waiting for the operator to reconcile generation "
    .. tostring(obj.metadata.generation)
  return hs
end
local stalled = condition(status, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled, "Stalled")
  return hs
end
local ready = condition(status, "Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready, "Ready")
  return hs
end
hs.status = "Progressing"
hs.message = describe(condition(status, "Reconciling"), "migrating")
return hs
