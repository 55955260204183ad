using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cloud.Migrations
{
    /// <inheritdoc />
    public partial class InitialRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Prefix = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    SecretHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastUsedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "auth_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Time = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    Thing = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RemoteAddress = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Fingerprint = table.Column<string>(type: "TEXT", maxLength: 95, nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Issuer = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Result = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Rule = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    DecisionMicroseconds = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_auth_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "revocations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Signature = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_revocations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "thing_definitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    AutoRegister = table.Column<bool>(type: "INTEGER", nullable: false),
                    NameRule = table.Column<int>(type: "INTEGER", nullable: false),
                    TrustedCasJson = table.Column<string>(type: "TEXT", nullable: false),
                    PublishTopicsJson = table.Column<string>(type: "TEXT", nullable: false),
                    SubscribeTopicsJson = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_thing_definitions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "trusted_cas",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Certificate = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Fingerprint = table.Column<string>(type: "TEXT", maxLength: 95, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_trusted_cas", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "attribute_definitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ThingDefinitionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DefaultValue = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_attribute_definitions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_attribute_definitions_thing_definitions_ThingDefinitionId",
                        column: x => x.ThingDefinitionId,
                        principalTable: "thing_definitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "things",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ThingDefinitionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    AttributesJson = table.Column<string>(type: "TEXT", nullable: false),
                    AutoRegistered = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_things", x => x.Id);
                    table.ForeignKey(
                        name: "FK_things_thing_definitions_ThingDefinitionId",
                        column: x => x.ThingDefinitionId,
                        principalTable: "thing_definitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "thing_signatures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ThingId = table.Column<long>(type: "INTEGER", nullable: false),
                    Slot = table.Column<int>(type: "INTEGER", nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_thing_signatures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_thing_signatures_things_ThingId",
                        column: x => x.ThingId,
                        principalTable: "things",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_attribute_definitions_ThingDefinitionId_Key",
                table: "attribute_definitions",
                columns: new[] { "ThingDefinitionId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_attribute_definitions_signature",
                table: "attribute_definitions",
                column: "DefaultValue",
                unique: true,
                filter: "\"Key\" = 'tlssignature'");

            migrationBuilder.CreateIndex(
                name: "IX_auth_events_ClientId_Id",
                table: "auth_events",
                columns: new[] { "ClientId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_auth_events_Thing_Id",
                table: "auth_events",
                columns: new[] { "Thing", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_auth_events_Time",
                table: "auth_events",
                column: "Time");

            migrationBuilder.CreateIndex(
                name: "IX_revocations_Signature",
                table: "revocations",
                column: "Signature",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_thing_definitions_Key",
                table: "thing_definitions",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_thing_signatures_ThingId_Slot",
                table: "thing_signatures",
                columns: new[] { "ThingId", "Slot" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_thing_signatures_Value",
                table: "thing_signatures",
                column: "Value",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_things_Key",
                table: "things",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_things_ThingDefinitionId",
                table: "things",
                column: "ThingDefinitionId");

            migrationBuilder.CreateIndex(
                name: "IX_trusted_cas_Fingerprint",
                table: "trusted_cas",
                column: "Fingerprint",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_trusted_cas_Key",
                table: "trusted_cas",
                column: "Key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "attribute_definitions");

            migrationBuilder.DropTable(
                name: "auth_events");

            migrationBuilder.DropTable(
                name: "revocations");

            migrationBuilder.DropTable(
                name: "thing_signatures");

            migrationBuilder.DropTable(
                name: "trusted_cas");

            migrationBuilder.DropTable(
                name: "things");

            migrationBuilder.DropTable(
                name: "thing_definitions");
        }
    }
}
