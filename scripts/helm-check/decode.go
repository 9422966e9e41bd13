package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"helm.sh/helm/v3/pkg/releaseutil"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/kubernetes/scheme"
)

// decodeStrict decodes every document of a manifest stream into its typed Kubernetes API
// struct (client-go's scheme: every built-in kind) with the strict decoder the API server uses
// for `kubectl apply --validate=strict`: an unknown or duplicated field is an error, and so is
// a value of the wrong type. It returns the decoded objects, re-encoded, as a JSON array.
func decodeStrict(data []byte) ([]byte, error) {
	codecs := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict)
	decoder := codecs.UniversalDeserializer()
	docs := releaseutil.SplitManifests(string(data))
	var objects []json.RawMessage
	var problems []string
	for i := 0; i < len(docs); i++ {
		doc := docs[fmt.Sprintf("manifest-%d", i)]
		if strings.TrimSpace(stripComments(doc)) == "" {
			continue
		}
		obj, gvk, err := decoder.Decode([]byte(doc), nil, nil)
		if err != nil {
			// Strict errors come back with a decoded object: they count all the same.
			problems = append(problems, fmt.Sprintf("document %d (%s): %v", len(objects)+len(problems)+1, describe(gvk, doc), err))
			continue
		}
		out, err := json.Marshal(obj)
		if err != nil {
			return nil, err
		}
		objects = append(objects, out)
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	if len(objects) == 0 {
		return nil, errors.New("no Kubernetes objects found")
	}
	return json.Marshal(objects)
}

func stripComments(doc string) string {
	var b bytes.Buffer
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func describe(gvk *schema.GroupVersionKind, doc string) string {
	if gvk != nil && gvk.Kind != "" {
		return gvk.Kind
	}
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "kind:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "kind:"))
		}
	}
	return "no kind"
}
